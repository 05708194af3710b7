// What every operator test harness shares (Flink's AbstractStreamOperatorTestHarness): the operator,
// built by its real factory in a subtask of its own with a manual processing-time clock; its main
// output (records, watermarks and statuses, in order) and each side output recorded; the lifecycle a
// Task gives it; and errors turned into the ones the job would fail with.
//
// Lifecycle: 'created' -> open() -> 'open' -> endInput() -> 'ended' -> close() -> 'closed'; a throw
// from the operator -> 'failed' (every later call but close() throws the same error again, as a
// failed subtask's steps do); close() from any state, closing the operator only if it was opened.
// Threading: none; a harness is driven by one spec, call by call.
import { WeirError } from '../../messages/errors.ts';
import type { ExecutionAttemptId, JobId } from '../../messages/ids.ts';
import { describeValue } from '../eventtime/describe-value.ts';
import { MAX_WATERMARK, MIN_WATERMARK, type WatermarkStatus } from '../eventtime/watermark.ts';
import type { SideOutputTag } from '../functions.ts';
import { type ChainOperator, type ChainTracker, type OperatorRuntime, type Output, describeOperator, isAsyncOperator, userFunctionError } from '../runtime/chain.ts';
import { completeOperatorSnapshot } from '../runtime/checkpointing/async-snapshot.ts';
import type { OperatorSnapshot } from '../runtime/checkpointing/snapshot.ts';
import { OperatorRuntimeContext } from '../runtime/operator-runtime-context.ts';
import { SubtaskMetricRegistry } from '../runtime/metrics/metric-group.ts';
import type { UserMetric } from '../../messages/metrics.ts';
import type { SubtaskContext } from '../runtime/subtask.ts';
import { ManualProcessingTimeService } from '../runtime/time/manual-processing-time-service.ts';
import { type KeyedInspection, isInspectableKeyed } from '../operators/keyed-inspection.ts';
import type { PipelineOperator } from './pipeline-operator.ts';
import { RecordingOutput, type StreamElement, type StreamRecordElement } from './stream-elements.ts';

/** Records per emitFinal() call at endInput() (a step's budget in a Task). */
const DRAIN_RECORDS_PER_CALL = 1000;
/** emitFinal() calls endInput() allows: an operator that never finishes draining fails loudly. */
const MAX_DRAIN_CALLS = 100_000;

type Phase = 'created' | 'open' | 'ended' | 'failed' | 'closed';

/** The last watermark and status one input delivered. */
export class InputEvents {
  watermark = MIN_WATERMARK;
  status: WatermarkStatus = 'active';
}

export abstract class OperatorTestHarness<OUT> {
  /** The operator under test, for specs of Weir's own operators; its type is internal to Weir. */
  readonly operator: ChainOperator<unknown>;
  /** How errors name the operator, e.g. `operator "Process" (id "process-1")`. */
  protected readonly operatorName: string;
  private readonly clock: ManualProcessingTimeService;
  private readonly tracker: ChainTracker = { current: null };
  private readonly mainOutput = new RecordingOutput<OUT>();
  private readonly sideOutputs = new Map<string, RecordingOutput<unknown>>();
  private phase: Phase = 'created';
  private opened = false;
  /** What the operator threw; thrown again by every later call but close(). */
  private failure: unknown = undefined;
  /** The user metrics its function registers (getRuntimeContext().getMetricGroup()). */
  private readonly metricRegistry = new SubtaskMetricRegistry();

  protected constructor(declared: PipelineOperator) {
    const { descriptor } = declared;
    this.operatorName = describeOperator(descriptor);
    this.clock = new ManualProcessingTimeService(declared.processingTime);
    const subtask: SubtaskContext = {
      jobId: 'test-harness' as JobId,
      jobName: 'Operator Test Harness',
      executionAttemptId: `test-harness-${descriptor.id}` as ExecutionAttemptId,
      subtaskIndex: declared.subtaskIndex,
      parallelism: declared.parallelism,
      maxParallelism: declared.maxParallelism,
      attemptNumber: 0,
      requestSplit: () => Promise.resolve(null),
      stdout: () => {},
      inputs: [],
      outputs: [],
      processingTimeService: this.clock,
      metrics: this.metricRegistry,
    };
    const runtime: OperatorRuntime = {
      descriptor,
      tracker: this.tracker,
      subtask,
      runtimeContext: new OperatorRuntimeContext(subtask, descriptor.name, this.operatorName),
      runtimeMode: declared.runtimeMode,
      autoWatermarkIntervalMs: declared.autoWatermarkIntervalMs,
      objectReuse: declared.objectReuse,
      sideOutput: (tag) => this.sideOutputOf(tag),
      eventOutput: this.mainOutput as Output<unknown>,
    };
    this.operator = declared.createOperator(runtime, this.mainOutput as Output<unknown>);
    if (isAsyncOperator(this.operator)) {
      throw new WeirError('INVALID_PIPELINE', `${this.operatorName} is asynchronous: its calls complete between a Task's steps, which a harness does not run; test it in a job with executeAndCollect()`);
    }
  }

  /**
   * The metrics the user function registered through getRuntimeContext().getMetricGroup(), read now
   * as a cluster reads them: counters' counts, gauges' values, meters' rates, histograms' statistics.
   */
  getMetrics(): readonly UserMetric[] {
    return this.metricRegistry.read();
  }

  /** Opens the operator (and the user function: its open() runs here). */
  async open(): Promise<void> {
    this.checkPhase('open()', 'created');
    this.opened = true;
    try {
      await this.operator.open();
      this.phase = 'open';
    } catch (error) {
      throw this.fail(error);
    }
  }

  /**
   * Before open(): the operator starts from `snapshot` (what snapshot() of another harness returned,
   * after a msgpack round trip if you like), as a restored subtask's does (Flink's initializeState).
   */
  initializeState(snapshot: OperatorSnapshot): void {
    this.checkPhase('initializeState()', 'created');
    this.run(() => this.operator.restoreState(snapshot));
  }

  /**
   * The operator's state now, as a checkpoint takes it between two records (Flink's harness.snapshot()):
   * plain data that later processing does not change. Restore it into a new harness with initializeState().
   */
  snapshot(checkpointId = 1): OperatorSnapshot {
    this.checkPhase('snapshot()', 'open');
    let snapshot: OperatorSnapshot | null = null;
    const context = { checkpointId, timestamp: this.clock.getCurrentProcessingTime(), savepoint: false };
    // The asynchronous part (a keyed operator's key groups) is completed at once: plain data now.
    this.run(() => (snapshot = completeOperatorSnapshot(this.operator.snapshotState(context) ?? {}, this.operatorName)));
    return snapshot ?? {};
  }

  /** Checkpoint `checkpointId` completed: the operator commits what it prepared for it (a sink's transaction). */
  async notifyOfCompletedCheckpoint(checkpointId: number): Promise<void> {
    this.checkPhase('notifyOfCompletedCheckpoint()', 'open');
    let committing: Promise<void> | null = null;
    this.run(() => (committing = this.operator.notifyCheckpointComplete(checkpointId)));
    if (committing !== null) await committing;
  }

  /** Moves the processing-time clock to `ms` and fires the processing-time timers due by then, in order, as the Task's mail would. */
  setProcessingTime(ms: number): void {
    if (this.phase === 'ended' || this.phase === 'closed') this.checkPhase('setProcessingTime()', 'open');
    if (this.phase === 'failed') throw this.failure;
    const now = this.clock.getCurrentProcessingTime();
    if (!(ms >= now) || !Number.isFinite(ms)) {
      throw new WeirError('INVALID_ARGUMENT', `${this.operatorName}: setProcessingTime(${String(ms)}) needs a finite time no earlier than the clock's ${now}; processing time does not go back`);
    }
    this.run(() => this.clock.advance(ms));
  }

  getProcessingTime(): number {
    return this.clock.getCurrentProcessingTime();
  }

  /**
   * The end of input, as a subtask's drain gives it: the operator emits what it held back (BATCH
   * results), then sees the end of event time (its remaining event-time timers fire, windows emit),
   * which it passes on: the main output ends with watermark(Infinity).
   */
  endInput(): void {
    this.checkPhase('endInput()', 'open');
    this.run(() => {
      const operator = this.operator;
      let calls = 0;
      while (!operator.emitFinal(DRAIN_RECORDS_PER_CALL)) {
        this.tracker.current = null;
        if (++calls >= MAX_DRAIN_CALLS) throw new WeirError('ILLEGAL_SUBTASK_STATE', `${this.operatorName} did not finish emitting its final results within ${MAX_DRAIN_CALLS} calls`);
      }
      this.tracker.current = null;
      operator.processWatermark(MAX_WATERMARK);
      this.tracker.current = null;
      // A promise only from a sink's endInput(), and a harness drives no sink.
      void operator.endInput();
    });
    this.phase = 'ended';
  }

  /** Closes the operator if it was opened (its user function's close() runs), and stops the clock. */
  async close(): Promise<void> {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.clock.shutdown();
    if (this.opened) await this.operator.close();
  }

  /** Everything the main output got, in order: records with their timestamps, watermarks, statuses. */
  getOutput(): StreamElement<OUT>[] {
    return this.mainOutput.elements.slice();
  }

  /** The main output's records, with their timestamps. */
  getRecordOutput(): StreamRecordElement<OUT>[] {
    return this.mainOutput.records();
  }

  /** The main output's records, values only. */
  extractOutputValues(): OUT[] {
    return this.mainOutput.records().map((element) => element.value);
  }

  /** The records emitted to the side output `tag` (an OutputTag), with their timestamps. */
  getSideOutput<X>(tag: SideOutputTag<X>): StreamRecordElement<X>[] {
    return (this.sideOutputs.get(tag.id)?.records() ?? []) as StreamRecordElement<X>[];
  }

  /** The side output's records, values only. */
  extractSideOutputValues<X>(tag: SideOutputTag<X>): X[] {
    return this.getSideOutput(tag).map((element) => element.value);
  }

  /** Forgets what every output got so far (to read only what the next calls emit). */
  clearOutput(): void {
    this.mainOutput.elements.length = 0;
    for (const output of this.sideOutputs.values()) output.elements.length = 0;
  }

  /** Entries of the operator's keyed state over every key and namespace (of one state when named); internal states (a window's contents) count too. */
  numKeyedStateEntries(stateName?: string): number {
    const { backend } = this.inspectKeyed('numKeyedStateEntries()');
    let entries = 0;
    for (let keyGroup = backend.range.start; keyGroup <= backend.range.end; keyGroup++) {
      const { states } = backend.snapshotKeyGroup(keyGroup);
      for (const [name, triples] of Object.entries(states)) if (stateName === undefined || name === stateName) entries += triples.length;
    }
    return entries;
  }

  /** Event-time timers registered and not fired or deleted, over every key (window cleanup timers too). */
  numEventTimeTimers(): number {
    return this.timers('numEventTimeTimers()').reduce((sum, timers) => sum + timers.eventTimeTimerCount, 0);
  }

  numProcessingTimeTimers(): number {
    return this.timers('numProcessingTimeTimers()').reduce((sum, timers) => sum + timers.processingTimeTimerCount, 0);
  }

  /**
   * Delivers an input's watermark as the input's valve would: only a rise of an active input reaches
   * the operator (one not above the input's last, or on an idle input, is dropped); the end of event
   * time comes with endInput().
   */
  protected deliverWatermark(call: string, input: InputEvents, watermark: number, deliver: () => void): void {
    this.checkPhase(call, 'open');
    if (typeof watermark !== 'number' || Number.isNaN(watermark)) {
      throw new WeirError('INVALID_ARGUMENT', `${this.operatorName}: ${call} needs a watermark in ms, got ${describeValue(watermark)}`);
    }
    if (watermark === MAX_WATERMARK) {
      throw new WeirError('INVALID_ARGUMENT', `${this.operatorName}: ${call} got the end of event time (Infinity); in Weir it comes with the end of input: call endInput()`);
    }
    if (watermark <= input.watermark || input.status === 'idle') return;
    input.watermark = watermark;
    this.run(deliver);
  }

  /** Delivers an input's status when it changes (a repeated one is dropped, as the emitter drops it). */
  protected deliverStatus(call: string, input: InputEvents, status: WatermarkStatus, deliver: () => void): void {
    this.checkPhase(call, 'open');
    if (status !== 'idle' && status !== 'active') throw new WeirError('INVALID_ARGUMENT', `${this.operatorName}: ${call} needs 'idle' or 'active', got ${describeValue(status)}`);
    if (status === input.status) return;
    input.status = status;
    this.run(deliver);
  }

  /** Runs a record's processing; `call` names the harness method for a state error. */
  protected deliverRecord(call: string, deliver: () => void): void {
    this.checkPhase(call, 'open');
    this.run(deliver);
  }

  /** Runs operator code as a step or a mail does: what it throws becomes the subtask's failure, naming the operator whose user code threw. */
  private run(action: () => void): void {
    this.tracker.current = null;
    try {
      action();
    } catch (error) {
      throw this.fail(error);
    }
    this.tracker.current = null;
  }

  private fail(error: unknown): unknown {
    const culprit = this.tracker.current;
    this.tracker.current = null;
    this.failure = culprit && !(error instanceof WeirError) ? userFunctionError(culprit, 'failed on a record', error) : error;
    this.phase = 'failed';
    return this.failure;
  }

  private checkPhase(call: string, required: Phase): void {
    if (this.phase === required) return;
    if (this.phase === 'failed') throw this.failure;
    const advice = required === 'created' ? '' : this.phase === 'created' ? ': call open() first' : this.phase === 'ended' ? ': the input has ended' : '';
    throw new WeirError('ILLEGAL_SUBTASK_STATE', `the harness of ${this.operatorName}: ${call} needs ${required === 'open' ? 'an' : 'a'} ${required} harness, but it is ${this.phase}${advice}`);
  }

  private sideOutputOf(tag: string): Output<unknown> {
    let output = this.sideOutputs.get(tag);
    if (output === undefined) this.sideOutputs.set(tag, (output = new RecordingOutput<unknown>()));
    return output;
  }

  private inspectKeyed(call: string): KeyedInspection {
    if (isInspectableKeyed(this.operator)) return this.operator.inspectKeyed();
    throw new WeirError('STATE_NOT_KEYED', `${this.operatorName}: ${call} reads a keyed operator's state and timers (a keyed process function, a window, a join after keyBy()); this one has none`);
  }

  private timers(call: string): NonNullable<KeyedInspection['timers']> {
    const { timers } = this.inspectKeyed(call);
    if (timers !== null) return timers;
    throw new WeirError('INVALID_ARGUMENT', `${this.operatorName}: ${call}: this window operator keeps no timers per key; it fires each window for every key when the watermark reaches it`);
  }
}

