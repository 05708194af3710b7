// Spawning Node processes for multi-process specs: bounded waits, and a kill in teardown.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface NodeProcess {
  readonly child: ChildProcess;
  /** The first line the process printed on stdout, parsed as JSON. */
  readonly hello: Record<string, unknown>;
  readonly stderr: () => string;
}

/** Starts `node --import tsx <script> ...args` and waits (bounded) for its first stdout line. */
export async function startNode(script: string, args: readonly string[], timeoutMs = 15_000): Promise<NodeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  try {
    const hello = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${script} printed nothing within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
      lines.once('line', (line) => {
        clearTimeout(timer);
        try {
          resolve(JSON.parse(line) as Record<string, unknown>);
        } catch {
          reject(new Error(`${script} printed "${line}", not JSON`));
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${script} exited (${code ?? signal}) before it printed; stderr: ${stderr}`));
      });
    });
    return { child, hello, stderr: () => stderr };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/** kill -9, and wait (bounded) until the process is gone. */
export async function killHard(child: ChildProcess, timeoutMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await within(exited, timeoutMs, `process ${child.pid} to exit after SIGKILL`);
}

/** Rejects loudly when `promise` does not settle within `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
