// The checks behind the checkpointing and restart-strategy setters: a value out of range throws
// INVALID_ARGUMENT at the call, naming the call, the parameter and the value, so that a mistake is
// seen where it is written and not when the cluster refuses the job.
import { WeirError } from '../../messages/errors.ts';
import { describeValue } from '../../messages/schema.ts';

/** What a parameter accepts: the text an error shows, and the test. */
export interface Rule {
  readonly expects: string;
  readonly accepts: (value: unknown) => boolean;
}

const isInteger = (value: unknown): value is number => Number.isSafeInteger(value);

export const POSITIVE_MS: Rule = { expects: 'a positive integer of milliseconds', accepts: (value) => isInteger(value) && value > 0 };
export const NON_NEGATIVE_MS: Rule = { expects: 'a non-negative integer of milliseconds', accepts: (value) => isInteger(value) && value >= 0 };
export const COUNT: Rule = { expects: 'a non-negative integer', accepts: (value) => isInteger(value) && value >= 0 };
export const POSITIVE_COUNT: Rule = { expects: 'a positive integer', accepts: (value) => isInteger(value) && value > 0 };
/** Flink's backoff multiplier: a multiplier of 1 or less would never back off. */
export const MULTIPLIER: Rule = { expects: 'a finite number > 1', accepts: (value) => Number.isFinite(value) && (value as number) > 1 };
export const FRACTION: Rule = { expects: 'a number from 0 to 1', accepts: (value) => Number.isFinite(value) && (value as number) >= 0 && (value as number) <= 1 };

/** `value` when `rule` accepts it; else INVALID_ARGUMENT "<where>: <name> must be <expects>, got <value>". */
export function checked<T>(where: string, name: string, rule: Rule, value: T): T {
  if (!rule.accepts(value)) throw new WeirError('INVALID_ARGUMENT', `${where}: ${name} must be ${rule.expects}, got ${describeValue(value)}`);
  return value;
}
