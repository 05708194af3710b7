// The remote client of a standalone cluster: submit, follow, list, inspect and cancel jobs.
export { WeirClient, DEFAULT_CLIENT_TIMEOUT_MS, type JobInfo, type StopOptions, type SubmitOptions, type WeirClientOptions } from './weir-client.ts';
export { findHoldingBack, type HoldingBack, type InputHoldingBack, type SourceHoldingBack } from './holding-back.ts';
export { STATUS_HISTORY, type JobHandle } from './job-handle.ts';
export { bundleJob } from './bundle.ts';
export { planBundle } from './plan-bundle.ts';
export { formatHostPort, parseHostPort, probeTcp, type HostPort } from './reachability.ts';
