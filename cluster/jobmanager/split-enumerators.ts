// The JobManager's side of fromSource(): runs each enumerated source's split enumerator (user code,
// from the job's plan, loaded on first use) and answers the readers' RequestNextInputSplit.
//
// Long poll: an enumerator may keep a reader's answer pending until a split exists. A request waits
// at most `pollMs` for it (less than the reader's ask timeout); then the reader is told to ask again,
// and the pending answer is kept for that subtask's next request, so no split is lost in between.
import type { JobPlan, SplitEnumeratorRuntime } from '../../api/runtime/subtask.ts';
import type { InputSplit, JobVertex } from '../../messages/job-graph.ts';

/** How long a split request waits for a pending enumerator before the reader asks again. */
export const SPLIT_POLL_MS = 10_000;

/** The answer to one request: a split, null (no more for that subtask), or 'retry' (ask again). */
export type EnumeratedSplit = InputSplit | null | 'retry';

export class SplitEnumerators {
  private plan: Promise<JobPlan> | null = null;
  private readonly enumerators = new Map<string, Promise<SplitEnumeratorRuntime>>();
  /** Answers not delivered yet, by `vertexId/subtaskIndex`. */
  private readonly pending = new Map<string, Promise<InputSplit | null>>();
  /** Answers already delivered: two requests awaiting one answer (a restart's new attempt and the old one) get the split once. */
  private readonly claimed = new WeakSet<Promise<InputSplit | null>>();
  private closed = false;

  constructor(
    private readonly loadPlan: () => Promise<JobPlan>,
    private readonly pollMs = SPLIT_POLL_MS,
  ) {}

  /** Rejects with the enumerator's (or the plan's) failure: the job's failure. */
  async next(vertex: JobVertex, subtaskIndex: number): Promise<EnumeratedSplit> {
    const key = `${vertex.id}/${subtaskIndex}`;
    let answer = this.pending.get(key);
    if (!answer) {
      answer = this.enumerator(vertex).then((enumerator) => enumerator.nextSplit(subtaskIndex));
      answer.catch(() => {}); // the failure is reported by the request that awaits it
      this.pending.set(key, answer);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'retry'>((resolve) => (timer = setTimeout(resolve, this.pollMs, 'retry')));
    try {
      const result = await Promise.race([answer, timeout]);
      if (result === 'retry' || result === null) {
        if (result === null && this.pending.get(key) === answer) this.pending.delete(key);
        return result;
      }
      if (this.claimed.has(answer)) return 'retry';
      this.claimed.add(answer);
      if (this.pending.get(key) === answer) this.pending.delete(key);
      return result;
    } catch (error) {
      if (this.pending.get(key) === answer) this.pending.delete(key);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Whether the job's plan was loaded here (the loader then holds it until released). */
  get loaded(): boolean {
    return this.plan !== null;
  }

  /** Closes every enumerator that was created; resolves with the close failures' messages. */
  async close(): Promise<string[]> {
    if (this.closed) return [];
    this.closed = true;
    this.pending.clear();
    const failures: string[] = [];
    for (const created of this.enumerators.values()) {
      try {
        await (await created).close();
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
    return failures;
  }

  private enumerator(vertex: JobVertex): Promise<SplitEnumeratorRuntime> {
    let created = this.enumerators.get(vertex.id);
    if (!created) {
      this.plan ??= this.loadPlan();
      created = this.plan.then((plan) => plan.createSplitEnumerator(vertex));
      this.enumerators.set(vertex.id, created);
    }
    return created;
  }
}
