// The cancellation watchdog in a process of its own: it kills the process (SIGKILL, after a log line
// and the supervisor's marker file) when a cancelled task outlives the timeout or the event loop
// stays blocked that long, and leaves alone a process whose task went, or that was only stopped.
import test from 'ava';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNode, within } from '../../e2e/process.ts';

const CHILD = fileURLToPath(new URL('./fixtures/watchdog-child.ts', import.meta.url));

async function runChild(t: import('ava').ExecutionContext, mode: string, timeoutMs: number, during?: (pid: number) => Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), 'weir-watchdog-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const marker = join(dir, 'fatal');
  const child = await startNode(CHILD, [mode, String(timeoutMs), marker]);
  t.teardown(() => {
    if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGKILL');
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.child.once('exit', (code, signal) => resolve({ code, signal })));
  await during?.(child.child.pid as number);
  const exit = await within(exited, 10_000, `the ${mode} child to exit`);
  return { exit, marker: existsSync(marker) ? readFileSync(marker, 'utf8') : undefined, stderr: child.stderr() };
}

test('an event loop blocked for the timeout is killed, after the log line and the marker file', async (t) => {
  const { exit, marker, stderr } = await runChild(t, 'blocked', 500);
  t.deepEqual(exit, { code: null, signal: 'SIGKILL' });
  t.regex(marker ?? '', /"code":"TASK_CANCELLATION_TIMEOUT"/);
  t.regex(stderr, /child blocked: its event loop has been blocked for \d+ ms, so no task of it can be cancelled; killing the process \(task\.cancellation\.timeout 500 ms\)/);
});

test('a task armed and never disarmed is killed at the timeout, though the event loop runs', async (t) => {
  const { exit, stderr } = await runChild(t, 'armed', 500);
  t.deepEqual(exit, { code: null, signal: 'SIGKILL' });
  t.regex(stderr, /child armed: Map \(1\/1\) attempt 0 was not gone 500 ms after its cancellation began/);
});

test('a task disarmed in time leaves the process alone', async (t) => {
  const { exit, marker } = await runChild(t, 'disarmed', 500);
  t.deepEqual(exit, { code: 0, signal: null });
  t.is(marker, undefined);
});

test('a process stopped with SIGSTOP for longer than the timeout is not taken for stuck: only the time it ran counts', async (t) => {
  const { exit, marker } = await runChild(t, 'stopped', 1_500, async (pid) => {
    process.kill(pid, 'SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    process.kill(pid, 'SIGCONT');
  });
  t.deepEqual(exit, { code: 0, signal: null });
  t.is(marker, undefined);
});
