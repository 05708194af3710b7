// How a file source or sink names a path it could not read or write: as given, the absolute path
// it became, and the process that tried (a TaskManager resolves a relative path against its own
// working directory, the Weir folder, not the client's).
import { resolve } from 'node:path';

export function describePath(path: string): string {
  const absolute = resolve(path);
  const where = process.env.WEIR_TASKMANAGER_ID ? `TaskManager ${process.env.WEIR_TASKMANAGER_ID}` : `process ${process.pid}`;
  return absolute === path ? `"${path}" (tried by ${where})` : `"${path}" (${absolute}, relative to the working directory of ${where})`;
}
