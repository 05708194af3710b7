// Session windowing (Flink's SessionWindowing example): events `(id,timestamp,count)` are grouped per
// id into sessions that end after a gap of 3 ms without events (--gap), and each session's counts
// are summed: one `(id,timestamp,count)` line per session, with the id and timestamp of the first
// event the session received and the sum of its counts.
//
// Event time: one ordered reader emits a watermark after every event, the largest timestamp so far
// - 1 (Flink's example emits timestamp - 1). A session fires once the watermark reaches its end - 1.
// An event that comes after later ones still joins the open session of its id when its own gap
// reaches it (timestamp + gap >= the session's start); otherwise it is dropped if its own session
// [timestamp, timestamp + gap) would already have fired.
// Flink's example runs everything at parallelism 1; here only the reader does, the sessions run at
// the job's parallelism.
//
// Embedded, on a mini cluster in this process:
//   npx tsx examples/session-windowing.ts                 # Flink's 7 events; prints its 5 sessions
//   npx tsx examples/session-windowing.ts --input /tmp/events.txt --output /tmp/sessions --gap 3
// On a standalone cluster (bin/start-cluster.sh), with absolute paths every TaskManager can read:
//   bin/weir run examples/session-windowing.ts -p 2 -- --input /tmp/events.txt --output /tmp/sessions
import { EventTimeSessionWindows, type JobModule, StreamExecutionEnvironment, isMainModule } from '../index.ts';
import { watermarkAfterEveryRecord } from './windowed-totals.ts';

export interface SessionEvent {
  readonly id: string;
  /** ms */
  readonly timestamp: number;
  readonly count: number;
}

/** Flink's input: sessions a [1,4), b [1,8), c [6,9), a [10,13), c [11,14). */
export const SAMPLE_EVENTS = ['(a,1,1)', '(b,1,1)', '(b,3,1)', '(b,5,1)', '(c,6,1)', '(a,10,1)', '(c,11,1)'];

export function parseSessionEvent(line: string): SessionEvent {
  const fields = /^\(([^,]*),(\d+),(-?\d+)\)$/.exec(line.trim());
  if (fields === null) throw new Error(`expected (id,timestamp,count), got ${line}`);
  return { id: fields[1], timestamp: Number(fields[2]), count: Number(fields[3]) };
}

export const formatSessionEvent = ({ id, timestamp, count }: SessionEvent): string => `(${id},${timestamp},${count})`;

const USAGE = 'usage: session-windowing.ts [--input <file>] [--output <dir>] [--gap <ms>]';

export function parseSessionWindowingArgs(args: readonly string[]): { input?: string; output?: string; gapMs: number } {
  const options: { input?: string; output?: string; gapMs: number } = { gapMs: 3 };
  for (let index = 0; index < args.length; index += 2) {
    const [flag, value] = [args[index], args[index + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value; ${USAGE}`);
    if (flag === '--input') options.input = value;
    else if (flag === '--output') options.output = value;
    else if (flag === '--gap' && /^[1-9]\d*$/.test(value)) options.gapMs = Number(value);
    else throw new Error(`unexpected argument ${flag} ${value}; ${USAGE}`);
  }
  return options;
}

const sessionWindowing: JobModule = async (env, args) => {
  const { input, output, gapMs } = parseSessionWindowingArgs(args);
  const lines = input === undefined ? env.fromCollection(SAMPLE_EVENTS).name('Events') : env.readTextFile(input).name('Events');
  const sessions = lines
    .setParallelism(1)
    .map(parseSessionEvent)
    .name('Parse')
    .setParallelism(1)
    .assignTimestampsAndWatermarks(watermarkAfterEveryRecord(0, (event) => event.timestamp))
    .name('Timestamps')
    .setParallelism(1)
    .keyBy((event) => event.id)
    .window(EventTimeSessionWindows.withGap(gapMs))
    .sum('count')
    .name('Sessions')
    .map(formatSessionEvent)
    .name('Format');
  if (output === undefined) sessions.print();
  else sessions.writeAsText(output).name('Sessions File');
  await env.execute('Session Windowing');
};

export default sessionWindowing;

if (isMainModule(import.meta.url)) await sessionWindowing(StreamExecutionEnvironment.getExecutionEnvironment(), process.argv.slice(2));
