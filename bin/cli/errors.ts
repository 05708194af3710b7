// The CLI's own errors: their message already names the command ("weir run: ..."), so the CLI
// prints it as it is, on one line. Every failure exits 1, as Flink's CLI does.
import { type ErrorCode, WeirError } from '../../messages/errors.ts';

export class CommandError extends WeirError {
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'CommandError';
  }
}

/** A mistake in the command line: an unknown command or option, a missing or bad value. */
export class UsageError extends CommandError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
    this.name = 'UsageError';
  }
}

