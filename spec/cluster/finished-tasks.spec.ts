// Checkpoints after tasks finish (Flink's FLIP-147) on the embedded mini cluster: a bounded source
// next to an unbounded one. Once the bounded one finished, checkpoints go on (the exactly-once file
// sink keeps committing), and a failover restores the finished source as finished: its records are
// not read again, the other source's resume where the checkpoint left them. A transactional sink
// that ends commits at a final checkpoint, with aligned and with unaligned checkpoints.
import test, { type ExecutionContext } from 'ava';
import { FileSink, type JobModule, RestartStrategies } from '../../api/index.ts';
import { MiniCluster } from '../../cluster/minicluster.ts';
import { committedNumbers, spin, tempDir } from './checkpoint-helpers.ts';
import { eventually, within } from './helpers.ts';

const BOUNDED = 500;
/** The endless source's records start here, so the two are told apart in the output. */
const ENDLESS_FROM = 1_000_000;
const ENDLESS_COUNT = 30_000;

async function startMiniCluster(t: ExecutionContext): Promise<MiniCluster> {
  const cluster = await MiniCluster.start({ log: { level: 'off' }, checkpointsDirectory: tempDir(t, 'weir-checkpoints') });
  t.teardown(() => cluster.close());
  return cluster;
}

const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, index) => from + index);

test.serial('checkpoints go on after a bounded source finishes, and a failover does not read it again', async (t) => {
  const cluster = await startMiniCluster(t);
  const output = tempDir(t, 'weir-finished-output');
  const boundedReads: number[] = [];
  let endlessSeen = 0;
  let failed = false;
  let committedAtFailure = 0;
  const job: JobModule = (env) => {
    env.enableCheckpointing(50).setRestartStrategy(RestartStrategies.fixedDelayRestart(3, 20));
    const bounded = env
      .fromSequence(1, BOUNDED)
      .map((n: number) => {
        boundedReads.push(n);
        return n;
      })
      .uid('bounded-map');
    const endless = env
      .fromSequence(ENDLESS_FROM, ENDLESS_FROM + ENDLESS_COUNT - 1)
      .map((n: number) => {
        spin(0.05);
        // Fails once, well after the bounded source finished and further checkpoints completed.
        if (++endlessSeen > ENDLESS_COUNT / 2 && !failed) {
          failed = true;
          committedAtFailure = committedNumbers(output).filter((value) => value >= ENDLESS_FROM).length;
          throw new Error(`failing once at ${n}`);
        }
        return n;
      })
      .uid('endless-map');
    bounded.union(endless).sinkTo(FileSink.forRowFormat<number>(output, (n) => String(n)).build()).uid('sink');
  };
  const handle = await cluster.submit(job, { parallelism: 1 });
  const statuses: string[] = [];
  handle.status$.subscribe((change) => statuses.push(change.status));
  // The bounded source's records are committed by a checkpoint taken after it finished.
  await eventually(async () => committedNumbers(output).filter((value) => value <= BOUNDED).length === BOUNDED, 'the bounded source\'s records committed', 20_000);
  t.is((await within(handle.result(), 'the job to finish', 60_000)).status, 'FINISHED');
  t.true(failed && statuses.includes('RESTARTING'), 'it failed once and restarted');
  t.true(committedAtFailure > 0, 'checkpoints after the bounded source finished committed the endless one\'s records');
  t.deepEqual(boundedReads, range(1, BOUNDED), 'the finished source was not read again after the failover');
  t.deepEqual(committedNumbers(output), [...range(1, BOUNDED), ...range(ENDLESS_FROM, ENDLESS_COUNT)], 'nothing lost, nothing twice');
});

/** A: short and bounded, its own pipeline and sink; B: longer, fails once right after A's sink committed anything. */
const finalCheckpointMacro = test.macro(async (t, { unaligned }: { readonly unaligned: boolean }) => {
  const cluster = await startMiniCluster(t);
  const outA = tempDir(t, 'weir-final-a');
  const outB = tempDir(t, 'weir-final-b');
  let failed = false;
  let seenB = 0;
  const job: JobModule = (env) => {
    const config = env.enableCheckpointing(400).setRestartStrategy(RestartStrategies.fixedDelayRestart(3, 20)).getCheckpointConfig();
    if (unaligned) config.enableUnalignedCheckpoints();
    // Unaligned: across a keyBy, so each sink subtask is fed by the network and its inputs end before its final checkpoint.
    const a = env.fromSequence(1, BOUNDED);
    (unaligned ? a.keyBy((n: number) => n % 3) : a).sinkTo(FileSink.forRowFormat<number>(outA, (n) => String(n)).build()).uid('sink-a');
    const b = env
      .fromSequence(ENDLESS_FROM, ENDLESS_FROM + ENDLESS_COUNT - 1)
      .map((n: number) => {
        spin(0.02);
        // At its end without a final checkpoint, A's sink would have committed: B's failure then replays it.
        if (!failed && ++seenB % 50 === 0 && committedNumbers(outA).length > 0) {
          failed = true;
          throw new Error(`failing once at ${n}, after A committed`);
        }
        return n;
      })
      .uid('b-map');
    (unaligned ? b.keyBy((n: number) => n % 3) : b).sinkTo(FileSink.forRowFormat<number>(outB, (n) => String(n)).build()).uid('sink-b');
  };
  const handle = await cluster.submit(job, { parallelism: 1 });
  t.is((await within(handle.result(), 'the job to finish', 60_000)).status, 'FINISHED');
  t.deepEqual(committedNumbers(outA), range(1, BOUNDED), 'A committed once');
  t.deepEqual(committedNumbers(outB), range(ENDLESS_FROM, ENDLESS_COUNT), 'B committed once');
  t.log(failed ? 'B failed after A committed' : 'A committed only at the final checkpoint, after B had passed its checks');
});

test.serial('a transactional sink that ends commits at a final checkpoint: a failure elsewhere before it leaves no record committed twice', finalCheckpointMacro, { unaligned: false });
test.serial('with unaligned checkpoints, keyed transactional sinks that end commit at a final checkpoint: a failure elsewhere before it leaves no record committed twice', finalCheckpointMacro, { unaligned: true });
