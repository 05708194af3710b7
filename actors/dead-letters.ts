// Messages that reached no actor: sent to a stopped or unknown actor, or dropped by a full mailbox.
// Every one is counted and published on `deadLetters$`; the log gets the first LOGGED_IN_FULL, then
// one line per LOG_EVERY, so a flood of dead letters cannot flood the log.
import { Subject } from 'rxjs';
import { messageType } from '../messages/errors.ts';
import type { Logger } from './log.ts';

export const LOGGED_IN_FULL = 100;
export const LOG_EVERY = 1000;

export interface DeadLetter {
  readonly type: string;
  readonly recipient: string;
  readonly reason: string;
  readonly message: unknown;
}

export class DeadLetterOffice {
  count = 0;
  unhandledCount = 0;
  private readonly subject = new Subject<DeadLetter>();
  readonly deadLetters$ = this.subject.asObservable();

  constructor(private readonly log: Logger) {}

  record(message: unknown, recipient: string, reason: string): void {
    this.count++;
    const type = messageType(message);
    if (this.count <= LOGGED_IN_FULL || this.count % LOG_EVERY === 0) {
      this.log.info(`dead letter: ${type} to ${recipient} (${reason})`, { type, recipient, reason, deadLetters: this.count });
    }
    if (this.subject.observed) this.subject.next({ type, recipient, reason, message });
  }

  unhandled(message: unknown, recipient: string): void {
    this.unhandledCount++;
    this.log.debug(`unhandled message: ${messageType(message)}`, { path: recipient });
  }

  complete(): void {
    this.subject.complete();
  }
}
