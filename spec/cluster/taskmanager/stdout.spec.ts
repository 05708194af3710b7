// print()'s output on a full disk: the writes fail (ENOSPC; /dev/full fails every write), the lines
// are dropped and counted, and the process lives on.
import { spawn } from 'node:child_process';
import { openSync, closeSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import test from 'ava';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = `
import { writeStdoutLine, droppedStdoutLines } from './cluster/taskmanager/stdout.ts';
import { Logger } from './actors/log.ts';
for (let n = 0; n < 2_000; n++) writeStdoutLine('line ' + n);
await new Promise((resolve) => setTimeout(resolve, 200));
for (let n = 0; n < 10; n++) writeStdoutLine('later ' + n);
new Logger().warn('still here');
process.stderr.write('dropped ' + droppedStdoutLines + '\\n');
`;

test('print() on a full disk drops and counts its lines; the process lives', async (t) => {
  if (!existsSync('/dev/full')) return t.pass('no /dev/full on this machine');
  const full = openSync('/dev/full', 'w');
  t.teardown(() => closeSync(full));
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], { cwd: ROOT, stdio: ['ignore', full, 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  t.is(code, 0, stderr);
  t.regex(stderr, /still here/);
  const dropped = Number(/dropped (\d+)/.exec(stderr)?.[1]);
  t.true(dropped >= 10, `dropped ${dropped}`);
});

test('the log on a full disk drops and counts its lines; the process lives', async (t) => {
  if (!existsSync('/dev/full')) return t.pass('no /dev/full on this machine');
  const full = openSync('/dev/full', 'w');
  t.teardown(() => closeSync(full));
  const script = `
import { Logger, droppedLogLines } from './actors/log.ts';
const log = new Logger({ level: 'info' });
for (let n = 0; n < 500; n++) log.info('line ' + n);
await new Promise((resolve) => setTimeout(resolve, 200));
log.info('later');
await new Promise((resolve) => setTimeout(resolve, 50));
process.stdout.write('alive, dropped ' + droppedLogLines + '\\n');
`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', full] });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  t.is(code, 0);
  const dropped = Number(/alive, dropped (\d+)/.exec(stdout)?.[1]);
  t.true(dropped >= 1, stdout);
});
