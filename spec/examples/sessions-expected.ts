// The independent answer for examples/session-windowing.ts: its events through the window model
// (event-time-windows.ts) as sessions per id, the watermark 1 ms behind the largest timestamp and no
// lateness; each session is the id and timestamp of the first event it received and the sum of
// counts. And its test input: seeded readings squeezed onto a scale of a few ms between events.
import { generateReadings } from '../../examples/window-readings.ts';
import { type ModelRun, runWindowModel } from './event-time-windows.ts';

export interface Event {
  readonly id: string;
  readonly timestamp: number;
  readonly count: number;
}

/** `(id,timestamp,count)` lines: generated readings at 1 ms for 25 of theirs, so that gaps of a few ms split and join sessions. */
export function squeezedEventLines(seed: number, count: number): string[] {
  return generateReadings({ seed, count, outOfOrdernessMs: 300 }).map(({ key, ts, value }) => `(${key},${Math.floor((ts - Date.UTC(2025, 0, 1)) / 25)},${value})`);
}

export function expectedSessions(eventLines: readonly string[], gap: number): ModelRun<Event> & { lines: string[] } {
  const events = eventLines.map((line): Event => {
    const [id, timestamp, count] = line.slice(1, -1).split(',');
    return { id, timestamp: Number(timestamp), count: Number(count) };
  });
  const run = runWindowModel<Event, { first: Event | null; sum: number }>(events, {
    window: { kind: 'session', gap },
    outOfOrdernessMs: 0,
    allowedLatenessMs: 0,
    keyOf: (event) => event.id,
    tsOf: (event) => event.timestamp,
    create: () => ({ first: null, sum: 0 }),
    add: ({ first, sum }, event) => ({ first: first ?? event, sum: sum + event.count }),
    merge: (a, b) => ({ first: a.first ?? b.first, sum: a.sum + b.sum }),
    format: (_id, _start, _end, { first, sum }) => `(${first?.id},${first?.timestamp},${sum})`,
  });
  return { ...run, lines: [...run.fired].sort() };
}
