// The operator test harness ('weir/testing'; Flink's operator test harnesses): drive one operator of
// a user's pipeline record by record, without a cluster. Push records, watermarks and statuses,
// advance processing time, end the input, and read the main output (in order, with timestamps and
// watermarks), side outputs, a keyed operator's state entries and timers, and its snapshot (restored
// into a new harness with initializeState()). Kept apart from the API a job imports, so job
// bundles never carry it.
export { ProcessFunctionTestHarnesses } from './process-function-test-harnesses.ts';
export type { OperatorTestHarness } from './operator-test-harness.ts';
export type { OneInputOperatorTestHarness } from './one-input-operator-test-harness.ts';
export type { TwoInputOperatorTestHarness } from './two-input-operator-test-harness.ts';
export type { HarnessOptions } from './pipeline-operator.ts';
export { type StreamElement, type StreamRecordElement, type WatermarkElement, type WatermarkStatusElement, record, watermark, watermarkStatus } from './stream-elements.ts';
export type { OperatorSnapshot } from '../runtime/checkpointing/snapshot.ts';
export type { UserMetric } from '../../messages/metrics.ts';
