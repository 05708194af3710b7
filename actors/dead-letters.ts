// Messages that reached no actor: sent to a stopped or unknown actor, dropped by a full mailbox,
// refused at the wire as invalid, or not handled by the actor they reached. Every one is counted,
// in total and by reason class, and published on `deadLetters$`.
// The log is rate-limited so that a flood cannot fill the disk: an identical line at most once per
// LOG_WINDOW_MS, and at most LINES_PER_CLASS lines of one class per window; the next line of a class
// says how many of its dead letters were not logged since its previous line.
import { Subject } from 'rxjs';
import { messageType } from '../messages/errors.ts';
import type { LogLevel, Logger } from './log.ts';

export const LOG_WINDOW_MS = 1_000;
export const LINES_PER_CLASS = 10;

export type DeadLetterClass =
  /** Refused at the wire: its fields do not match its type's schema (INVALID_MESSAGE). */
  | 'invalid-message'
  /** Refused at the wire: a type no protocol registered (UNKNOWN_MESSAGE_TYPE). */
  | 'unknown-type'
  /** Reached an actor whose behavior does not handle it (another protocol's message). */
  | 'unhandled'
  | 'no-recipient'
  | 'recipient-stopped'
  | 'mailbox-full'
  /** Anything else: a link overloaded or lost, an old incarnation, a late ask reply, a frame too large. */
  | 'undeliverable';

export const DEAD_LETTER_CLASSES: readonly DeadLetterClass[] = [
  'invalid-message',
  'unknown-type',
  'unhandled',
  'no-recipient',
  'recipient-stopped',
  'mailbox-full',
  'undeliverable',
];

/** The reason text of an unhandled message. */
export const UNHANDLED_REASON = 'unhandled by the recipient';

// How the runtime words each class (cell.ts and its MAILBOX_FULL error, local-ref.ts,
// messages/registry.ts), for callers that give a reason but no class.
const REASON_PREFIXES: readonly (readonly [string, DeadLetterClass])[] = [
  ['recipient stopped', 'recipient-stopped'],
  ['no actor at this path', 'no-recipient'],
  ['mailbox full', 'mailbox-full'],
  ['mailbox of ', 'mailbox-full'],
  ['invalid message from', 'invalid-message'],
  ['no codec for type', 'unknown-type'],
  [UNHANDLED_REASON, 'unhandled'],
];

export function classifyReason(reason: string): DeadLetterClass {
  for (const [prefix, reasonClass] of REASON_PREFIXES) if (reason.startsWith(prefix)) return reasonClass;
  return 'undeliverable';
}

/** A peer sent something wrong: worth a warning. The rest is the normal churn of a running system. */
const LEVEL: Readonly<Record<DeadLetterClass, LogLevel>> = {
  'invalid-message': 'warn',
  'unknown-type': 'warn',
  unhandled: 'warn',
  'no-recipient': 'info',
  'recipient-stopped': 'info',
  'mailbox-full': 'info',
  undeliverable: 'info',
};

export interface DeadLetter {
  readonly type: string;
  readonly recipient: string;
  readonly reason: string;
  readonly reasonClass: DeadLetterClass;
  readonly message: unknown;
}

export class DeadLetterOffice {
  /** All dead letters so far. */
  count = 0;
  private readonly byClass = new Map<DeadLetterClass, number>(DEAD_LETTER_CLASSES.map((reasonClass) => [reasonClass, 0]));
  private readonly subject = new Subject<DeadLetter>();
  readonly deadLetters$ = this.subject.asObservable();
  private readonly limiter: LogLimiter;

  constructor(
    private readonly log: Logger,
    now: () => number = Date.now,
  ) {
    this.limiter = new LogLimiter(now);
  }

  /** Dead letters so far of one class. */
  countOf(reasonClass: DeadLetterClass): number {
    return this.byClass.get(reasonClass) ?? 0;
  }

  /** Dead letters so far, by class (every class present). */
  get counts(): Readonly<Record<DeadLetterClass, number>> {
    return Object.fromEntries(this.byClass) as Record<DeadLetterClass, number>;
  }

  get unhandledCount(): number {
    return this.countOf('unhandled');
  }

  record(message: unknown, recipient: string, reason: string, reasonClass: DeadLetterClass = classifyReason(reason)): void {
    this.count++;
    this.byClass.set(reasonClass, this.countOf(reasonClass) + 1);
    const type = messageType(message);
    const line = `dead letter: ${type} to ${recipient} (${reason})`;
    const suppressed = this.limiter.admit(line, reasonClass);
    if (suppressed !== undefined) {
      const text = suppressed > 0 ? `${line}; ${suppressed} more ${reasonClass} dead letters were not logged` : line;
      const fields = { type, recipient, reason, reasonClass, deadLetters: this.count, ...(suppressed > 0 ? { suppressed } : {}) };
      if (LEVEL[reasonClass] === 'warn') this.log.warn(text, fields);
      else this.log.info(text, fields);
    }
    if (this.subject.observed) this.subject.next({ type, recipient, reason, reasonClass, message });
  }

  /** A message the recipient's behavior did not handle (Behaviors.unhandled). */
  unhandled(message: unknown, recipient: string): void {
    this.record(message, recipient, UNHANDLED_REASON, 'unhandled');
  }

  complete(): void {
    this.subject.complete();
  }
}

/** Decides which dead-letter lines are written; its memory is bounded by LINES_PER_CLASS per class. */
class LogLimiter {
  private windowStart = -Infinity;
  /** Lines written in the current window: no identical one is written again in it. */
  private readonly written = new Set<string>();
  private readonly writtenByClass = new Map<DeadLetterClass, number>();
  /** Per class, dead letters not logged since its last line. */
  private readonly suppressed = new Map<DeadLetterClass, number>();

  constructor(private readonly now: () => number) {}

  /** undefined: do not write the line; else write it, with this many of its class not written before it. */
  admit(line: string, reasonClass: DeadLetterClass): number | undefined {
    const now = this.now();
    if (now - this.windowStart >= LOG_WINDOW_MS) {
      this.windowStart = now;
      this.written.clear();
      this.writtenByClass.clear();
    }
    const inWindow = this.writtenByClass.get(reasonClass) ?? 0;
    if (this.written.has(line) || inWindow >= LINES_PER_CLASS) {
      this.suppressed.set(reasonClass, (this.suppressed.get(reasonClass) ?? 0) + 1);
      return undefined;
    }
    this.written.add(line);
    this.writtenByClass.set(reasonClass, inWindow + 1);
    const suppressed = this.suppressed.get(reasonClass) ?? 0;
    this.suppressed.delete(reasonClass);
    return suppressed;
  }
}
