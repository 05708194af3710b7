// The README's runnable examples, taken from README.md as written and run as a user runs them
// (`npx tsx example.ts`), bounded: an example that does not end, or prints something else, fails here.
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../', import.meta.url));
/** Node start-up, tsx and the example itself. */
const EXAMPLE_TIMEOUT_MS = 20_000;

/** The first ```ts block after `heading`, its imports of the repository's files made absolute. */
function exampleAfter(heading: string): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const section = readme.indexOf(`\n${heading}\n`);
  if (section === -1) throw new Error(`README.md has no heading "${heading}"`);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(section));
  if (!block) throw new Error(`README.md has no ts block after "${heading}"`);
  return block[1]!.replace(/from '\.\/([^']+)'/g, (_, path: string) => `from ${JSON.stringify(join(REPO, path))}`);
}

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `code` as a TypeScript module with tsx; killed after EXAMPLE_TIMEOUT_MS. */
function runExample(t: { teardown(fn: () => void): void }, code: string): Promise<Run> {
  // Inside the repository (its ignored .tmp/), as the README's examples say: 'weir' is this package.
  mkdirSync(join(REPO, '.tmp'), { recursive: true });
  const dir = mkdtempSync(join(REPO, '.tmp', 'readme-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'example.ts');
  writeFileSync(file, code);
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', file], { cwd: REPO, timeout: EXAMPLE_TIMEOUT_MS, killSignal: 'SIGKILL', env: { ...process.env, WEIR_LOG_LEVEL: '' } }, (error, stdout, stderr) =>
      resolve({ code: child.exitCode, signal: error ? child.signalCode : null, stdout, stderr }),
    );
  });
}

const sortedLines = (text: string): string[] => text.split('\n').filter((line) => line !== '').sort();

test('the first DataStream program runs as written and prints each word with its count', async (t) => {
  const run = await runExample(t, exampleAfter('## A DataStream program'));
  t.is(run.code, 0, run.stderr);
  t.is(run.stderr, '');
  t.deepEqual(sortedLines(run.stdout), ['be 2', 'is 1', 'not 1', 'or 1', 'question 1', 'that 1', 'the 1', 'to 2']);
});

test('the event-time example runs as written and prints the window totals its comment says', async (t) => {
  const run = await runExample(t, exampleAfter('## Event time, state and windows'));
  t.is(run.code, 0, run.stderr);
  t.is(run.stderr, '');
  t.deepEqual(sortedLines(run.stdout), ["{ sensor: 'a', ts: 1000, value: 3 }", "{ sensor: 'b', ts: 2500, value: 5 }"]);
});

test('the actor example runs as written: it traces the Greet, prints the reply and ends', async (t) => {
  const run = await runExample(t, exampleAfter('## The actor runtime in one screen'));
  t.is(run.signal, null, `killed after ${EXAMPLE_TIMEOUT_MS} ms: the example does not end`);
  t.is(run.code, 0, run.stderr);
  t.is(run.stderr, '');
  const address = /to: '(weir:\/\/node-1@127\.0\.0\.1:\d+)\/user\/greeter'/.exec(run.stdout)?.[1] ?? 'no Greet traced';
  const at = /at: (\d+),/.exec(run.stdout)?.[1] ?? 'no time';
  t.is(
    run.stdout,
    [
      '{',
      `  at: ${at},`,
      '  from: undefined,',
      `  to: '${address}/user/greeter',`,
      "  type: 'Greet',",
      '  remote: false,',
      "  direction: 'local',",
      "  system: 'node-1'",
      '}',
      'hello, Weir',
      '',
    ].join('\n'),
  );
});
