// Runs an example the way its top comment says (`npx tsx examples/<name>.ts ...`), bounded.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** An example on the embedded mini cluster takes about a second, most of it starting tsx. */
export const EXAMPLE_TIMEOUT_MS = 30_000;

export interface ExampleRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runExample(name: string, args: readonly string[]): Promise<ExampleRun> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', `examples/${name}`, ...args], { cwd: ROOT, timeout: EXAMPLE_TIMEOUT_MS, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

export const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');
