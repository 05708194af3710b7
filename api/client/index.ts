// The remote client of a standalone cluster: submit, follow, list and cancel jobs.
export { WeirClient, DEFAULT_CLIENT_TIMEOUT_MS, type SubmitOptions, type WeirClientOptions } from './weir-client.ts';
export { STATUS_HISTORY, type JobHandle } from './job-handle.ts';
export { bundleJob } from './bundle.ts';
export { planBundle } from './plan-bundle.ts';
export { formatHostPort, parseHostPort, probeTcp, type HostPort } from './reachability.ts';
