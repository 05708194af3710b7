// The head of a chain fed by network edges: polls the vertex's input gates round robin and pushes
// each batch's stream elements into the head operator (input 0, or the second input of a two-input
// operator), at most `maxRecords` records per read. A batch is kept across reads when the budget
// ends inside it. Between two batches it checks the outputs: with one of them full, the read stops
// early and the subtask waits for it before polling again (backpressure).
//
// Watermarks: one valve per target input, not per gate (a union feeds several gates into one input);
// its channels are the channels of every gate feeding that input, one after the other. A batch's
// events go to the valve of its gate's input, in order with its records; a channel's end counts as
// the end of event time for that channel, so an ended channel never holds the minimum back.
//
// Waiting: while every gate is empty the subtask waits on one signal. Each gate is asked for its
// availability at most once until it answers (`armed`), so an idle gate never collects a waiter per
// wait however long its neighbours keep the subtask busy.
//
// Checkpoint barriers: a barrier is the last element of its batch (a subpartition seals the batch
// after it). Once the batch is delivered the barrier goes, with its channel numbered over every gate
// of the subtask, to the barrier handler of the job's mode (checkpointing/barrier-handler.ts), which
// may block that channel in its gate (its later batches stay there) and calls the subtask's listener
// when it must snapshot; channel ends go there too. All of it per event, nothing per record. Without a
// listener (the subtask sets one) barriers are ignored.
//
// Unaligned checkpoints: a barrier that overtook its channel's batches comes as a gate's priority
// event. A priority event (or a due alignment timer) wakes the subtask and is handled on its turn
// before anything else is read: between batches, or in the middle of one (the rest of that batch is
// then in-flight data). The recorder (checkpointing/in-flight-recorder.ts) keeps the data the handler
// asks for. A restore from an unaligned checkpoint replays its in-flight input before any gate is read.
import { WeirError } from '../../messages/errors.ts';
import type { JobEdge } from '../../messages/job-graph.ts';
import type { ChannelWatermark, InputWatermarks } from '../../messages/watermarks.ts';
import { describeWireValue } from '../../messages/wire-values.ts';
import { MAX_WATERMARK } from '../eventtime/watermark.ts';
import { WakeSignal } from '../sources/wake-signal.ts';
import type { ChainTracker, Output } from './chain.ts';
import { taskTurnClock } from './checkpointing/barrier-aligner.ts';
import { type BarrierHandler, type BarrierListener, createBarrierHandler } from './checkpointing/barrier-handler.ts';
import { type BarrierChannels, GateChannels } from './checkpointing/barrier-channels.ts';
import { InFlightRecorder, remainderOf } from './checkpointing/in-flight-recorder.ts';
import { InFlightReplay, type ReplayedChannel } from './checkpointing/in-flight-replay.ts';
import { type CheckpointBarrier, isCheckpointBarrier } from './checkpointing/snapshot.ts';
import { SOURCE_END, SOURCE_MORE, type SourceReader, type SourceStatus } from './source-reader.ts';
import type { InputGate, InputPriorityEvent, OutputWriter, RecordBatch } from './subtask.ts';
import { StatusWatermarkValve } from './time/status-watermark-valve.ts';

/** Where one gate's elements go: its target input and the valve channel of its channel 0. */
interface GateRoute {
  readonly target: Output<unknown>;
  readonly valve: StatusWatermarkValve;
  readonly firstChannel: number;
}

/** What a gate's edge says of where its channels come from (a JobEdge). */
export type GateOrigin = Pick<JobEdge, 'sourceVertexId' | 'targetInput'>;

export class NetworkInput implements SourceReader {
  /** The batch being delivered, from `position` (and event pair `eventIndex`) on; null between batches. */
  private batch: RecordBatch | null = null;
  private position = 0;
  private eventIndex = 0;
  private route: GateRoute | null = null;
  /** The valve channel of the batch being delivered. */
  private valveChannel = 0;
  /** The gate of the batch being delivered. */
  private gateIndex = 0;
  /** The gate polled first next time, so that no gate starves the others. */
  private nextGate = 0;
  private cancelled = false;
  private readonly routes: readonly GateRoute[];
  private readonly signal = new WakeSignal();
  /** Per gate: a whenAvailable() answer is awaited (see the header). */
  private readonly armed: boolean[];
  /** Every channel of every gate, numbered for the barrier handler. */
  private readonly channels: GateChannels;
  /** Channels whose end was delivered: the barrier handler starts from the rest. */
  private endedChannels = 0;
  private listener: BarrierListener | null = null;
  /** Made at the first barrier with a listener set, for that barrier's mode. */
  private barriers: BarrierHandler | null = null;
  /** Unaligned checkpoints: the data of the channels the barrier handler has recorded. */
  private readonly recorder = new InFlightRecorder();
  /** A priority event or a due alignment timer waits for the task's turn. */
  private priorityPending = false;
  /** Alignment timers that went off, run on the task's turn. */
  private readonly dueTimers: (() => void)[] = [];
  /** Settles the subtask's wait for its output when a priority event comes (whenPriorityEvent). */
  private priorityWaiter: (() => void) | null = null;
  /** The priority barrier being handled: its channel and the batches it overtook there. */
  private overtaking: { readonly channel: number; readonly batches: readonly RecordBatch[] } | null = null;
  /** A restore's in-flight input, read before the gates; null once read. */
  private replay: InFlightReplay | null = null;

  constructor(
    private readonly gates: readonly InputGate[],
    /** Where each gate's records go: the head operator, or its second input. */
    targets: readonly Output<unknown>[],
    private readonly writers: readonly OutputWriter[],
    private readonly tracker: ChainTracker,
    /** Per gate, the edge it receives (`vertex.inputs`): only for watermarks(). */
    private readonly origins: readonly GateOrigin[] = [],
  ) {
    this.routes = routesOf(gates, targets);
    this.armed = gates.map(() => false);
    this.channels = new GateChannels(gates);
    for (const gate of gates) gate.setPriorityListener?.(() => this.priorityArrived());
  }

  /**
   * A restore from an unaligned checkpoint: these batches are read first, before any gate, as if
   * their channels had delivered them (events included). Before the first read().
   */
  replayInFlight(channels: readonly ReplayedChannel[]): void {
    const replay = new InFlightReplay(channels, this.channels);
    this.replay = replay.done ? null : replay;
  }

  /**
   * Settles when a priority event (or an alignment timer) wants the task's turn: a subtask waiting for
   * its output races it (ChainSubtask). One pending at a time; a new call replaces the last.
   */
  whenPriorityEvent(): Promise<void> {
    if (this.priorityPending) return Promise.resolve();
    return new Promise((resolve) => (this.priorityWaiter = resolve));
  }

  /** Handles the priority events and due alignment timers that arrived; the subtask calls it before it checks its outputs. */
  processPriorityEvents(): void {
    if (!this.priorityPending) return;
    this.priorityPending = false;
    for (const due of this.dueTimers.splice(0)) due();
    this.gates.forEach((gate, gateIndex) => {
      for (let event = gate.pollPriority?.(); event !== undefined; event = gate.pollPriority?.()) this.priorityEvent(gateIndex, event);
    });
  }

  /**
   * Where checkpoint barriers are reported: the subtask sets it before its first read(); until then
   * barriers are ignored (nothing is blocked either).
   */
  setBarrierListener(listener: BarrierListener): void {
    if (this.barriers !== null) throw new WeirError('ILLEGAL_SUBTASK_STATE', 'the barrier listener was set after barriers arrived: set it before the first read()');
    this.listener = listener;
  }

  /**
   * Checkpoint `checkpointId` was aborted (RunnableSubtask.notifyCheckpointAborted): an alignment for
   * it ends and its channels resume (a waiting read wakes); its later barriers are ignored. Returns
   * whether its barriers were being collected.
   */
  abortAlignment(checkpointId: number): boolean {
    return this.barriers?.abort(checkpointId) ?? false;
  }

  /** The checkpoint whose barriers are being collected, or null (for weir info and specs). */
  get pendingCheckpointId(): number | null {
    return this.barriers?.pendingCheckpointId ?? null;
  }

  /**
   * Each input's valve and its channels, read now (weir info): inputs in the order of their first
   * gate, channels gate after gate. Allocates per call, nothing per record.
   */
  watermarks(): InputWatermarks[] {
    const inputs = new Map<StatusWatermarkValve, { input: number; channels: ChannelWatermark[] }>();
    this.routes.forEach(({ valve, firstChannel }, gateIndex) => {
      const origin = this.origins[gateIndex];
      let entry = inputs.get(valve);
      if (entry === undefined) inputs.set(valve, (entry = { input: origin?.targetInput ?? 0, channels: [] }));
      for (let channel = 0; channel < this.gates[gateIndex].channels; channel++) {
        const valveChannel = firstChannel + channel;
        entry.channels.push({
          upstreamVertexId: origin?.sourceVertexId ?? `input gate ${gateIndex}`,
          upstreamSubtask: channel,
          watermark: valve.channelWatermark(valveChannel),
          idle: valve.isChannelIdle(valveChannel),
          aligned: valve.isChannelAligned(valveChannel),
        });
      }
    });
    return [...inputs].map(([valve, { input, channels }]) => ({ input, watermark: valve.currentWatermark, idle: valve.status === 'idle', channels }));
  }

  async open(): Promise<void> {}

  read(maxRecords: number): SourceStatus {
    if (this.cancelled) return SOURCE_END;
    let budget = maxRecords;
    while (budget > 0) {
      if (this.priorityPending) this.processPriorityEvents();
      if (this.batch !== null) {
        budget -= this.deliver(this.batch, budget);
        if (this.batch !== null) return SOURCE_MORE;
        continue;
      }
      if (!this.writersAvailable()) return SOURCE_MORE;
      if (!this.pollNext()) break;
    }
    if (this.batch !== null || budget === 0) return SOURCE_MORE;
    if (this.allFinished()) return SOURCE_END;
    return { kind: 'wait', until: this.anyAvailable() };
  }

  cancel(): void {
    this.cancelled = true;
    this.signal.wake();
  }

  async close(): Promise<void> {}

  /** Delivers up to `budget` records of `batch` and the events before them; returns how many records. */
  private deliver(batch: RecordBatch, budget: number): number {
    const target = (this.route as GateRoute).target;
    const { records, timestamps, events } = batch;
    let position = this.position;
    const start = position;
    const end = Math.min(records.length, position + budget);
    if (events === null) {
      if (timestamps === null) while (position < end) target.collect(records[position++], undefined);
      else {
        for (; position < end; position++) target.collect(records[position], timestamps[position]);
      }
    } else {
      let eventIndex = this.eventIndex;
      for (; position < end; position++) {
        while (eventIndex < events.length && (events[eventIndex] as number) <= position) {
          this.event(events[eventIndex + 1], false);
          eventIndex += 2;
        }
        target.collect(records[position], timestamps === null ? undefined : timestamps[position]);
      }
      if (position === records.length) {
        for (; eventIndex < events.length; eventIndex += 2) this.event(events[eventIndex + 1], eventIndex + 2 === events.length);
      }
      this.eventIndex = eventIndex;
    }
    this.position = position;
    if (position === records.length) {
      this.batch = null;
      this.route = null;
    }
    return position - start;
  }

  /** One event of the batch being delivered, checked (it came off the wire), into its input's valve. */
  private event(event: unknown, last: boolean): void {
    this.tracker.current = null;
    const { valve } = this.route as GateRoute;
    if (typeof event === 'number' && !Number.isNaN(event)) valve.inputWatermark(event, this.valveChannel);
    else if (event === 'idle' || event === 'active') valve.inputWatermarkStatus(event, this.valveChannel);
    else this.barrierEvent(event, last);
  }

  /** A barrier (`last`: the batch's last element, after its last record) to the barrier handler; anything else fails. */
  private barrierEvent(event: unknown, last: boolean): void {
    if (isCheckpointBarrier(event)) {
      if (!last) throw new WeirError('MALFORMED_FRAME', `${this.describeChannel()} sent a checkpoint barrier that is not the last element of its batch`);
      // The batch is delivered up to its end: an unaligned snapshot now must not take any of it as in flight.
      const batch = this.batch as RecordBatch;
      this.position = batch.records.length;
      this.eventIndex = (batch.events as readonly unknown[]).length;
      this.barrierReceived(event);
    } else if ((event as { kind?: unknown } | null)?.kind === 'barrier') {
      throw new WeirError('MALFORMED_FRAME', `${this.describeChannel()} sent a checkpoint barrier with missing or wrong fields`);
    } else {
      throw new WeirError('MALFORMED_FRAME', `${this.describeChannel()} sent ${describeWireValue(event)}, which is neither a watermark, a watermark status nor a checkpoint barrier`);
    }
  }

  private barrierReceived(barrier: CheckpointBarrier): void {
    const listener = this.listener;
    if (listener === null) return;
    this.barriers ??= this.createHandler(barrier, listener);
    this.barriers.barrierReceived(barrier, this.channels.channelOf(this.gateIndex, this.currentChannel()));
  }

  /** A barrier that overtook its channel's batches: to the handler, which records them where it must (stopRecording). */
  private priorityEvent(gateIndex: number, { channel, event, overtaken }: InputPriorityEvent): void {
    if (!isCheckpointBarrier(event) || event.unaligned !== true || event.mode !== 'EXACTLY_ONCE') {
      throw new WeirError('MALFORMED_FRAME', `${this.describeChannel(gateIndex, channel)} sent ${describeWireValue(event)} as a priority event, which only an unaligned checkpoint's barrier may be`);
    }
    const listener = this.listener;
    if (listener === null) return;
    this.barriers ??= this.createHandler(event, listener);
    const number = this.channels.channelOf(gateIndex, channel);
    this.overtaking = { channel: number, batches: overtaken };
    try {
      this.barriers.barrierReceived(event, number);
    } finally {
      this.overtaking = null;
    }
  }

  private createHandler(barrier: CheckpointBarrier, listener: BarrierListener): BarrierHandler {
    const channels: BarrierChannels = {
      block: (channel) => this.channels.block(channel),
      resume: (channel) => this.channels.resume(channel),
      startRecording: (_checkpointId, caughtUp) => this.startRecording(caughtUp),
      stopRecording: (channel) => this.stopRecording(channel),
      takeRecording: () => this.recorder.take(),
      dropRecording: () => this.recorder.drop(),
    };
    // Timers come back on the task's turn, as priority events do.
    const clock = taskTurnClock((onDue) => {
      this.dueTimers.push(onDue);
      this.priorityArrived();
    });
    return createBarrierHandler(barrier.mode, channels, this.channels.count - this.endedChannels, listener, clock);
  }

  /** The snapshot is taken now: what is left of the batch being read is in flight too. */
  private startRecording(caughtUp: ReadonlySet<number>): void {
    this.recorder.start(caughtUp);
    const batch = this.batch;
    if (batch !== null) this.recorder.record(this.channels.channelOf(this.gateIndex, this.currentChannel()), remainderOf(batch, this.position, this.eventIndex));
  }

  /** A priority barrier's channel adds what it overtook: restored batches of it not read yet, then those queued in its gate. */
  private stopRecording(channel: number): void {
    const overtaking = this.overtaking;
    if (overtaking === null || overtaking.channel !== channel) return this.recorder.stop(channel, []);
    const { gateIndex, channel: gateChannel } = this.channels.locate(channel);
    const replayed = this.replay?.batchesOf(gateIndex, gateChannel) ?? [];
    this.recorder.stop(channel, replayed.length === 0 ? overtaking.batches : [...replayed, ...overtaking.batches]);
  }

  /** Called outside the task's turn (a gate, a timer): the subtask wakes and handles it on its turn. */
  private priorityArrived(): void {
    this.priorityPending = true;
    this.signal.wake();
    const waiter = this.priorityWaiter;
    this.priorityWaiter = null;
    waiter?.();
  }

  /** The gate's channel of the batch being delivered. */
  private currentChannel(): number {
    return this.valveChannel - (this.route as GateRoute).firstChannel;
  }

  /** A channel, for errors (by default the batch being delivered's): its index is its upstream subtask's. */
  private describeChannel(gateIndex = this.gateIndex, channel = this.currentChannel()): string {
    const origin = this.origins[gateIndex];
    return origin === undefined ? `input channel ${channel} of gate ${gateIndex}` : `input channel ${channel} (subtask ${channel} of "${origin.sourceVertexId}")`;
  }

  /** Takes the next element of the first gate (from `nextGate` on) that has one; false when none has. */
  private pollNext(): boolean {
    const gates = this.gates;
    const count = gates.length;
    this.tracker.current = null;
    if (this.replay !== null) return this.pollReplay(this.replay);
    for (let offset = 0; offset < count; offset++) {
      const index = (this.nextGate + offset) % count;
      const element = gates[index].poll();
      if (element === undefined) continue;
      this.nextGate = index + 1 === count ? 0 : index + 1;
      const route = this.routes[index];
      switch (element.kind) {
        case 'batch':
          this.startBatch(index, element.channel, element.batch);
          return true;
        case 'end':
          route.valve.inputWatermark(MAX_WATERMARK, route.firstChannel + element.channel);
          this.endedChannels++;
          this.barriers?.channelEnded(this.channels.channelOf(index, element.channel));
          return true;
        default: {
          const unknown: never = element;
          throw new Error(`unknown input element kind ${String((unknown as { kind: unknown }).kind)}`);
        }
      }
    }
    return false;
  }

  private startBatch(gateIndex: number, channel: number, batch: RecordBatch): void {
    const route = this.routes[gateIndex];
    this.batch = batch;
    this.position = 0;
    this.eventIndex = 0;
    this.route = route;
    this.valveChannel = route.firstChannel + channel;
    this.gateIndex = gateIndex;
    if (this.recorder.active) this.recorder.record(this.channels.channelOf(gateIndex, channel), batch);
  }

  /** The next restored batch; the gates are read once none is left. */
  private pollReplay(replay: InFlightReplay): boolean {
    const { gateIndex, channel, batch } = replay.next();
    if (replay.done) this.replay = null;
    this.startBatch(gateIndex, channel, batch);
    return true;
  }

  private writersAvailable(): boolean {
    const writers = this.writers;
    for (let index = 0; index < writers.length; index++) if (!writers[index].available) return false;
    return true;
  }

  private allFinished(): boolean {
    for (const gate of this.gates) if (!gate.finished) return false;
    return true;
  }

  private anyAvailable(): Promise<void> {
    const waiting = this.signal.next();
    this.gates.forEach((gate, index) => {
      if (this.armed[index] || gate.finished) return;
      this.armed[index] = true;
      void gate.whenAvailable().then(() => {
        this.armed[index] = false;
        this.signal.wake();
      });
    });
    return waiting;
  }
}

/** Groups the gates by the input they feed: one valve per input, channels numbered across its gates. */
function routesOf(gates: readonly InputGate[], targets: readonly Output<unknown>[]): GateRoute[] {
  const channelsPerTarget = new Map<Output<unknown>, number>();
  gates.forEach((gate, index) => channelsPerTarget.set(targets[index], (channelsPerTarget.get(targets[index]) ?? 0) + gate.channels));
  const valves = new Map<Output<unknown>, StatusWatermarkValve>();
  const nextChannel = new Map<Output<unknown>, number>();
  return gates.map((gate, index) => {
    const target = targets[index];
    let valve = valves.get(target);
    if (valve === undefined) valves.set(target, (valve = new StatusWatermarkValve(channelsPerTarget.get(target) as number, target)));
    const firstChannel = nextChannel.get(target) ?? 0;
    nextChannel.set(target, firstChannel + gate.channels);
    return { target, valve, firstChannel };
  });
}
