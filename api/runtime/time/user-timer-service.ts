// The user-facing TimerService (what `ctx.timerService()` returns in a KeyedProcessFunction) over an
// operator's InternalTimerService: the same timers, all in one namespace (VOID_NAMESPACE for user
// timers, as Flink's KeyedProcessOperator uses VoidNamespace). Made once per operator, not per record.
import type { TimerService } from '../../functions.ts';
import { type Namespace, VOID_NAMESPACE } from '../../state/keyed-state-backend.ts';
import type { InternalTimerService } from './timer-service.ts';

export function userTimerService(timers: InternalTimerService, namespace: Namespace = VOID_NAMESPACE): TimerService {
  return {
    currentProcessingTime: () => timers.currentProcessingTime(),
    currentWatermark: () => timers.currentWatermark(),
    registerEventTimeTimer: (timestamp) => timers.registerEventTimeTimer(namespace, timestamp),
    registerProcessingTimeTimer: (timestamp) => timers.registerProcessingTimeTimer(namespace, timestamp),
    deleteEventTimeTimer: (timestamp) => timers.deleteEventTimeTimer(namespace, timestamp),
    deleteProcessingTimeTimer: (timestamp) => timers.deleteProcessingTimeTimer(namespace, timestamp),
  };
}
