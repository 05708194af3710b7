// The window join example, run as its top comment says, against the join computed here as a nested
// loop over the example's generated grades and salaries.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { grade, salary } from '../../examples/window-join.ts';
import { lines, runExample } from './run-example.ts';

/** Each grade with each salary of the same name and window, as the example prints them, sorted. */
function expected(records: number, windowMs: number): string[] {
  const grades = Array.from({ length: records }, (_, n) => grade(n));
  const salaries = Array.from({ length: records }, (_, n) => salary(n));
  const out: string[] = [];
  for (const g of grades) {
    for (const s of salaries) {
      const start = g.time - (g.time % windowMs);
      if (g.name === s.name && s.time >= start && s.time < start + windowMs) out.push(`[${start},${start + windowMs})\t${g.name}\tgrade ${g.grade}\tsalary ${s.salary}`);
    }
  }
  return out.sort();
}

test('window-join prints each grade joined with each salary of the same name in its 2-second window', async (t) => {
  const run = await runExample('window-join.ts', []);
  t.is(run.code, 0, run.stderr);
  const want = expected(20, 2_000);
  t.true(want.length >= 10, `only ${want.length} pairs to expect`);
  t.deepEqual(lines(run.stdout).sort(), want);
});

test('window-join writes its results to a directory, with other record counts and window sizes', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'weir-window-join-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  const run = await runExample('window-join.ts', ['--records', '60', '--window', '1000', '--output', directory]);
  t.is(run.code, 0, run.stderr);
  t.is(run.stdout, '');
  t.deepEqual(lines(await readFile(join(directory, 'part-0'), 'utf8')).sort(), expected(60, 1_000));
});

test('window-join refuses arguments it does not know, saying how to call it', async (t) => {
  const run = await runExample('window-join.ts', ['--window', 'wide']);
  t.not(run.code, 0);
  t.regex(run.stderr, /unexpected arguments --window wide; usage: window-join\.ts \[--records <n>\] \[--window <ms>\] \[--output <directory>\]/);
});
