// Flink's RestartStrategies: what a job does when one of its tasks fails. env.setRestartStrategy()
// puts one in the JobGraph; without one the cluster's restart-strategy.* keys decide, and with none
// configured anywhere a checkpointing job restarts with exponential-delay and any other job fails.
// A strategy is plain data (RestartStrategySettings): the JobManager builds the running one.
import { WeirError } from '../../messages/errors.ts';
import type { RestartStrategySettings } from '../../messages/job-graph.ts';
import { describeValue } from '../../messages/schema.ts';
import { COUNT, FRACTION, MULTIPLIER, NON_NEGATIVE_MS, POSITIVE_COUNT, POSITIVE_MS, type Rule, checked } from './setting-checks.ts';

export type RestartStrategyConfiguration = RestartStrategySettings;

type StrategyType = RestartStrategySettings['type'];

/** Each strategy's fields with what they accept (Flink's preconditions); `optional` may be absent. */
const FIELDS: { readonly [T in StrategyType]: readonly { readonly name: string; readonly rule: Rule; readonly optional?: true }[] } = {
  none: [],
  'fixed-delay': [
    { name: 'attempts', rule: COUNT },
    { name: 'delayMs', rule: NON_NEGATIVE_MS },
  ],
  'exponential-delay': [
    { name: 'initialBackoffMs', rule: POSITIVE_MS },
    { name: 'maxBackoffMs', rule: POSITIVE_MS },
    { name: 'backoffMultiplier', rule: MULTIPLIER },
    { name: 'resetBackoffThresholdMs', rule: POSITIVE_MS },
    { name: 'jitterFactor', rule: FRACTION },
    { name: 'attempts', rule: POSITIVE_COUNT, optional: true },
  ],
  'failure-rate': [
    { name: 'maxFailuresPerInterval', rule: POSITIVE_COUNT },
    { name: 'failureRateIntervalMs', rule: POSITIVE_MS },
    { name: 'delayMs', rule: NON_NEGATIVE_MS },
  ],
};

const TYPES = Object.keys(FIELDS) as StrategyType[];

export class RestartStrategies {
  private constructor() {}

  /** A failed task fails the job. */
  static noRestart(): RestartStrategyConfiguration {
    return { type: 'none' };
  }

  /** Restarts the job up to `attempts` times, `delayMs` after each failure. */
  static fixedDelayRestart(attempts: number, delayMs: number): RestartStrategyConfiguration {
    return checkRestartStrategy('RestartStrategies.fixedDelayRestart()', { type: 'fixed-delay', attempts, delayMs });
  }

  /**
   * Restarts after a delay that starts at `initialBackoffMs` and grows by `backoffMultiplier` with
   * each failure up to `maxBackoffMs`, moved at random by up to `jitterFactor` of itself; a job that
   * ran `resetBackoffThresholdMs` without failing starts again from the initial backoff. Unlimited
   * restarts unless `attempts` (Flink's attempts-before-reset-backoff) bounds those since the last reset.
   */
  static exponentialDelayRestart(
    initialBackoffMs: number,
    maxBackoffMs: number,
    backoffMultiplier: number,
    resetBackoffThresholdMs: number,
    jitterFactor: number,
    attempts?: number,
  ): RestartStrategyConfiguration {
    return checkRestartStrategy('RestartStrategies.exponentialDelayRestart()', {
      type: 'exponential-delay',
      initialBackoffMs,
      maxBackoffMs,
      backoffMultiplier,
      resetBackoffThresholdMs,
      jitterFactor,
      ...(attempts === undefined ? {} : { attempts }),
    });
  }

  /** Restarts `delayMs` after each failure while at most `maxFailuresPerInterval` failures fall in any `failureRateIntervalMs`. */
  static failureRateRestart(maxFailuresPerInterval: number, failureRateIntervalMs: number, delayMs: number): RestartStrategyConfiguration {
    return checkRestartStrategy('RestartStrategies.failureRateRestart()', { type: 'failure-rate', maxFailuresPerInterval, failureRateIntervalMs, delayMs });
  }
}

/**
 * A copy of `strategy` with only its strategy's fields, each checked; INVALID_ARGUMENT naming
 * `where`, the field and the value otherwise.
 */
export function checkRestartStrategy(where: string, strategy: unknown): RestartStrategySettings {
  const type = typeof strategy === 'object' && strategy !== null ? (strategy as { type?: unknown }).type : undefined;
  if (!TYPES.includes(type as StrategyType)) {
    const got = typeof strategy === 'object' && strategy !== null ? `type ${describeValue(type)}` : describeValue(strategy);
    throw new WeirError('INVALID_ARGUMENT', `${where}: expects a strategy of RestartStrategies (type ${TYPES.map((name) => `"${name}"`).join(', ')}), got ${got}`);
  }
  const fields = strategy as Readonly<Record<string, unknown>>;
  const copy: Record<string, unknown> = { type };
  for (const { name, rule, optional } of FIELDS[type as StrategyType]) {
    if (optional && fields[name] === undefined) continue;
    copy[name] = checked(where, name, rule, fields[name]);
  }
  const settings = copy as RestartStrategySettings;
  if (settings.type === 'exponential-delay' && settings.initialBackoffMs > settings.maxBackoffMs) {
    throw new WeirError('INVALID_ARGUMENT', `${where}: initialBackoffMs (${settings.initialBackoffMs}) must not be above maxBackoffMs (${settings.maxBackoffMs})`);
  }
  return settings;
}
