// Where the cluster's actors live: fixed system names and paths, so that a TaskManager, a client or
// the CLI can address them from just the JobManager's host and port. Part of the protocol, so both
// the cluster (which spawns them) and the client (which dials them) read it from here.

/** The actor system of the JobManager process. */
export const JOBMANAGER_SYSTEM = 'jobmanager';
export const DISPATCHER_NAME = 'dispatcher';
export const RESOURCE_MANAGER_NAME = 'resourcemanager';
export const TASK_MANAGER_NAME = 'taskmanager';

export function jobManagerAddress(host: string, port: number): string {
  return `weir://${JOBMANAGER_SYSTEM}@${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export function dispatcherPath(host: string, port: number): string {
  return `${jobManagerAddress(host, port)}/user/${DISPATCHER_NAME}`;
}

export function resourceManagerPath(host: string, port: number): string {
  return `${jobManagerAddress(host, port)}/user/${RESOURCE_MANAGER_NAME}`;
}
