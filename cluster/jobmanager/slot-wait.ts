// What a JobManager says while its job waits for slots: how many it asked for, how many it has, and
// what the cluster has free, refreshed from the ResourceManager every second of the wait, so that
// `weir info`, an attached `weir run` and the console show why a job sits in CREATED (or RESTARTING)
// instead of saying nothing until slot.request.timeout.
import type { ActorRef, TimerScheduler } from '../../actors/index.ts';
import type { SlotWait } from '../../messages/dispatcher.ts';
import type { ClusterOverview, ResourceManagerMsg } from '../../messages/resource-manager.ts';

/** How often the cluster's free slots are read while a job waits. */
export const SLOT_WAIT_REFRESH_MS = 1_000;

export interface SlotWaitTick {
  readonly type: 'SlotWaitTick';
}

export class SlotWaitReport {
  private wait: { readonly needed: number; readonly since: number; readonly alreadyHeld: number } | undefined;
  private seen: SlotWait | undefined;

  constructor(
    private readonly timers: TimerScheduler<SlotWaitTick>,
    private readonly resourceManager: ActorRef<ResourceManagerMsg>,
    private readonly self: ActorRef<ClusterOverview>,
    private readonly timeoutMs: number,
  ) {}

  /** A slot request for `needed` slots went out while the job held `alreadyHeld`. */
  begin(needed: number, alreadyHeld: number): void {
    this.wait = { needed, since: Date.now(), alreadyHeld };
    this.seen = undefined;
    this.timers.startTimerAtFixedRate('slot-wait', { type: 'SlotWaitTick' }, SLOT_WAIT_REFRESH_MS, SLOT_WAIT_REFRESH_MS / 2);
  }

  /** The job has its slots, or will never get them (it failed or was cancelled). */
  end(): void {
    this.wait = undefined;
    this.seen = undefined;
    this.timers.cancel('slot-wait');
  }

  tick(): void {
    if (this.wait) this.resourceManager.tell({ type: 'RequestClusterOverview', replyTo: this.self });
    else this.timers.cancel('slot-wait');
  }

  /** The ResourceManager's answer; true when the report changed (the JobManager publishes it). */
  observed(overview: ClusterOverview, held: number): boolean {
    if (!this.wait) return false;
    const { needed, since, alreadyHeld } = this.wait;
    const next: SlotWait = {
      needed,
      granted: Math.max(0, held - alreadyHeld),
      slotsFree: overview.slotsFree,
      slotsTotal: overview.slotsTotal,
      taskManagers: overview.taskManagers,
      since,
      timeoutMs: this.timeoutMs,
    };
    const before = this.seen;
    this.seen = next;
    return !before || before.granted !== next.granted || before.slotsFree !== next.slotsFree || before.slotsTotal !== next.slotsTotal || before.taskManagers !== next.taskManagers;
  }

  /** What the job's details carry: absent until the first answer and once the wait is over. */
  get current(): SlotWait | undefined {
    return this.seen;
  }
}
