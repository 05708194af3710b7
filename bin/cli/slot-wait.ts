// How `weir info` and an attached `weir run` say that a job waits for slots, and for what.
import { formatDuration } from '../../cluster/config/value-types.ts';
import type { SlotWait } from '../../messages/dispatcher.ts';

/** `needs 8 slots, has 0; 4 of 4 free on 2 TaskManagers; waiting 12 s (slot.request.timeout: 5 min)`. */
export function describeSlotWait(wait: SlotWait, now: number): string {
  const { needed, granted, slotsFree, slotsTotal, taskManagers, since, timeoutMs } = wait;
  const waited = formatDuration(Math.max(0, Math.round((now - since) / 1000)) * 1000);
  return (
    `needs ${needed} slot${needed === 1 ? '' : 's'}, has ${granted}; ${slotsFree} of ${slotsTotal} free on ${taskManagers} TaskManager${taskManagers === 1 ? '' : 's'}; ` +
    `waiting ${waited} (slot.request.timeout: ${formatDuration(timeoutMs)})`
  );
}

/** After this long without slots, an attached `weir run` says why the job does not start. */
export const SLOT_WAIT_NOTICE_MS = 2_000;
const POLL_MS = 1_000;

/**
 * An attached `weir run`: from SLOT_WAIT_NOTICE_MS after submission (or a restart), while the job is
 * CREATED or RESTARTING, reads its details each second and prints a line whenever its wait for slots
 * changes (what it needs, has, or the cluster has free). Returns the way to stop.
 */
export function followSlotWait(readDetails: () => Promise<{ readonly waitingForSlots?: SlotWait }>, out: (line: string) => void, describeJob: string): { status(status: string): void; stop(): void } {
  let waiting = true;
  let timer: NodeJS.Timeout | undefined;
  let last = '';
  const poll = async (): Promise<void> => {
    timer = undefined;
    if (!waiting) return;
    try {
      const wait = (await readDetails()).waitingForSlots;
      const key = wait ? `${wait.needed}/${wait.granted}/${wait.slotsFree}/${wait.slotsTotal}/${wait.taskManagers}` : '';
      if (wait && key !== last && waiting) out(`${new Date().toISOString()} ${describeJob} waits for slots: ${describeSlotWait(wait, Date.now())}`);
      last = key;
    } catch {
      // The status stream reports what ends the job; a missed reading is only a missed line.
    }
    if (waiting) timer = setTimeout(() => void poll(), POLL_MS);
  };
  const start = (): void => {
    waiting = true;
    last = '';
    if (!timer) timer = setTimeout(() => void poll(), SLOT_WAIT_NOTICE_MS);
  };
  const stop = (): void => {
    waiting = false;
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  start();
  return {
    status: (status) => (status === 'CREATED' || status === 'RESTARTING' ? start() : stop()),
    stop,
  };
}
