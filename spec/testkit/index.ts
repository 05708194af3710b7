// The testkit for actor specs: a manual clock, a probe actor, and systems that collect their logs.
export { MAX_TASKS_PER_ADVANCE, ManualScheduler } from './manual-scheduler.ts';
export { DEFAULT_EXPECT_TIMEOUT_MS, TestProbe } from './probe.ts';
export { LogCollector, type LogRecord, createManualTestSystem, createTestSystem, settle, type ManualTestSystem, type TestSystem, type TestSystemOptions } from './system.ts';
export { type FragileCounterMsg, fragileCounter, supervised } from './fragile-counter.ts';
