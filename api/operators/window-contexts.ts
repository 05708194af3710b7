// The contexts the window operator hands to triggers and window functions (Flink's
// WindowOperator.Context and WindowContext): one object each per operator, pointed at the current
// window before every call, never one per record. Trigger state, timers and a window function's
// windowState() are scoped to the key (the backend's current key) and the window's namespace.
import { WeirError } from '../../messages/errors.ts';
import type { SideOutputTag } from '../functions.ts';
import type { OperatorDescriptor } from '../../messages/job-graph.ts';
import { type ChainTracker, type Output, describeOperator } from '../runtime/chain.ts';
import type { InternalTimerService } from '../runtime/time/timer-service.ts';
import type { StateDescriptor } from '../state/descriptors.ts';
import type { InternalMergingState, KeyedStateBackend, Namespace } from '../state/keyed-state-backend.ts';
import { BackendKeyedStateStore } from '../state/keyed-state-store.ts';
import type { KeyedStateStore, State } from '../state/state.ts';
import type { Key } from '../runtime/key-groups.ts';
import type { InternalWindowContext } from '../windowing/functions/internal-window-function.ts';
import type { OnMergeContext } from '../windowing/triggers/trigger.ts';

/** What triggers see: the current key's state and timers in the current window's namespace. */
export class WindowTriggerContext<W> implements OnMergeContext {
  window: W | undefined = undefined;
  /** The namespaces of the windows merged into `window` (onMerge only). */
  mergedNamespaces: readonly Namespace[] = [];
  private readonly store: BackendKeyedStateStore;

  constructor(
    backend: KeyedStateBackend<Key>,
    private readonly timers: InternalTimerService,
    /** How errors name the operator. */
    private readonly operator: string,
  ) {
    this.store = new BackendKeyedStateStore(backend);
  }

  /** Points the context at `window`, whose namespace is `namespace`. */
  at(window: W, namespace: Namespace): this {
    this.window = window;
    this.store.namespace = namespace;
    return this;
  }

  get namespace(): Namespace {
    return this.store.namespace;
  }

  getCurrentProcessingTime(): number {
    return this.timers.currentProcessingTime();
  }

  getCurrentWatermark(): number {
    return this.timers.currentWatermark();
  }

  registerProcessingTimeTimer(time: number): void {
    this.timers.registerProcessingTimeTimer(this.store.namespace, time);
  }

  registerEventTimeTimer(time: number): void {
    this.timers.registerEventTimeTimer(this.store.namespace, time);
  }

  deleteProcessingTimeTimer(time: number): void {
    this.timers.deleteProcessingTimeTimer(this.store.namespace, time);
  }

  deleteEventTimeTimer(time: number): void {
    this.timers.deleteEventTimeTimer(this.store.namespace, time);
  }

  getPartitionedState<S extends State>(descriptor: StateDescriptor<S>): S {
    return this.store.scoped(descriptor);
  }

  mergePartitionedState<S extends State>(descriptor: StateDescriptor<S>): void {
    const state = this.store.scoped(descriptor) as S & Partial<InternalMergingState>;
    if (typeof state.mergeNamespaces !== 'function') {
      throw new WeirError('INVALID_ARGUMENT', `${this.operator}: the trigger merges state "${descriptor.name}", a ${descriptor.kind} state; only list, reducing and aggregating states merge`);
    }
    if (this.mergedNamespaces.length > 0) state.mergeNamespaces(this.store.namespace, this.mergedNamespaces);
  }
}

/** What window functions see (through their adapters): time, the window's and the key's state, side outputs. */
export class WindowProcessContext implements InternalWindowContext {
  /** The window being evaluated: side outputs carry its maxTimestamp(). */
  maxTimestamp = 0;
  readonly windowStore: BackendKeyedStateStore;

  constructor(
    backend: KeyedStateBackend<Key>,
    private readonly timers: InternalTimerService,
    private readonly sideOutput: (tag: string) => Output<unknown>,
    /** The chain's tracker and the window operator: a side output's consumers overwrite the tracker. */
    private readonly tracker: ChainTracker,
    private readonly descriptor: OperatorDescriptor,
    /**
     * Sessions: no windowState(), as in Flink (its MergingWindowStateStore refuses it): a window's
     * state could not follow it into the window it merges into, and would stay behind for good.
     */
    private readonly merging = false,
  ) {
    this.windowStore = new BackendKeyedStateStore(backend);
    this.globalStore = backend.keyedStateStore;
  }

  private readonly globalStore: KeyedStateStore;

  currentProcessingTime(): number {
    return this.timers.currentProcessingTime();
  }

  currentWatermark(): number {
    return this.timers.currentWatermark();
  }

  windowState(): KeyedStateStore {
    if (this.merging) {
      throw new WeirError(
        'INVALID_FUNCTION',
        `${describeOperator(this.descriptor)}: windowState() is not allowed with merging (session) windows, as in Flink: a window's state cannot follow it when it merges; use globalState() or the window's contents`,
      );
    }
    return this.windowStore;
  }

  globalState(): KeyedStateStore {
    return this.globalStore;
  }

  output<X>(tag: SideOutputTag<X>, value: X): void {
    this.sideOutput(tag.id).collect(value, this.maxTimestamp);
    this.tracker.current = this.descriptor;
  }
}
