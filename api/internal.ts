// The runtime's side of the DataStream API: what the cluster (Task, JobManager, mini cluster), the
// package entry and the client use to plan and run jobs. Not part of the public API (api/index.ts):
// these interfaces change with the runtime (event time changes the subtask's elements).
export { planJob, type PlanOptions } from './runtime/plan.ts';
export {
  createJobExecutor,
  registerJobExecutorFactory,
  type ExecutionTarget,
  type JobExecutor,
  type JobExecutorFactory,
  type JobHandle,
  type JobSubmission,
} from './executor.ts';
export { COLLECT_BUFFER_RECORDS, CollectChannel, openLocalCollect, type CollectReceiver } from './collect/channel.ts';
export { COLLECT_SINK_KIND, type CollectBinding, type CollectTarget } from './collect/target.ts';
export type { InputElement, InputGate, JobPlan, OutputWriter, RunnableSubtask, StepResult, SubtaskContext } from './runtime/subtask.ts';
