// isMainModule(import.meta.url): true when this module is the script Node was started with. A job
// module runs its pipeline itself only then (`npx tsx job.ts`); when `weir run` or a TaskManager
// imports it to plan its default export, it only declares.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function isMainModule(importMetaUrl: string): boolean {
  const script = process.argv[1];
  if (!script || !importMetaUrl.startsWith('file:')) return false;
  try {
    return realpathSync(fileURLToPath(importMetaUrl)) === realpathSync(script);
  } catch {
    return false;
  }
}
