// The collect sink (executeAndCollect, toObservable): each subtask sends its records to the client
// that started the job, in batches of at most COLLECT_BATCH_RECORDS, one send per step. It takes the
// parallelism of its input, so it chains to it: no exchange only to reach the client.
//
// Backpressure: after a step, a sink whose receiver has no room returns that wait from afterStep(),
// so the subtask stops reading until the client catches up. endInput() waits until every batch
// was received, so a job is FINISHED only once the client holds all of its records.
import type { StreamGraph } from '../graph/stream-graph.ts';
import { type OperatorTransformation, type Transformation, parallelismOf } from '../graph/transformation.ts';
import { declareOperator } from '../declared-operator.ts';
import { ChainOperator, type OperatorRuntime, describeOperator } from '../runtime/chain.ts';
import { type CollectSender, openCollectSender } from '../collect/sender.ts';
import { COLLECT_SINK_KIND, type CollectSinkConfig, type CollectTarget, collectTargetOf } from '../collect/target.ts';

/** Records per batch sent to the client: one actor message when the client is remote. */
export const COLLECT_BATCH_RECORDS = 1000;

export class CollectSink<T> extends ChainOperator<T> {
  private readonly target: CollectTarget | null;
  private readonly subtaskIndex: number;
  /** Records of the current step; sent in afterStep(). */
  private pending: T[] = [];
  private sender: CollectSender | null = null;

  constructor(runtime: OperatorRuntime) {
    super(runtime);
    this.target = collectTargetOf(runtime.descriptor.config, describeOperator(runtime.descriptor));
    this.subtaskIndex = runtime.subtask.subtaskIndex;
  }

  override async open(): Promise<void> {
    this.sender = await openCollectSender(this.target, {
      operator: describeOperator(this.descriptor),
      operatorId: this.descriptor.id,
      subtaskIndex: this.subtaskIndex,
    });
  }

  collect(value: T): void {
    this.pending.push(value);
  }

  override afterStep(): Promise<void> | null {
    this.sendPending();
    return this.sender?.backlog() ?? null;
  }

  override async endInput(): Promise<void> {
    this.sendPending();
    await this.sender?.flush();
  }

  override async close(): Promise<void> {
    this.sender?.close();
  }

  private sendPending(): void {
    const pending = this.pending;
    if (pending.length === 0 || !this.sender) return;
    this.pending = [];
    if (pending.length <= COLLECT_BATCH_RECORDS) {
      this.sender.send(pending);
      return;
    }
    for (let from = 0; from < pending.length; from += COLLECT_BATCH_RECORDS) this.sender.send(pending.slice(from, from + COLLECT_BATCH_RECORDS));
  }
}

/** Adds a collect sink on `input`, unbound (see CollectSinkConfig); an execution binds it. */
export function declareCollectSink(graph: StreamGraph, input: Transformation): OperatorTransformation {
  const config: CollectSinkConfig = { target: null };
  const transformation = declareOperator(graph, {
    role: 'sink',
    kind: COLLECT_SINK_KIND,
    name: 'Sink: Collect',
    config: config as unknown as Record<string, unknown>,
    inputs: [input],
    factory: () => (runtime) => new CollectSink(runtime),
  });
  transformation.parallelism = parallelismOf(input);
  return transformation;
}
