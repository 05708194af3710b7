// The custom-source example, run as its top comment says: a Source whose splits are the files of a
// directory, read line by line, totals per customer checked against an independent sum.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { writeSampleOrders } from '../../examples/custom-source.ts';
import { orderTotals } from './order-totals.ts';
import { lines, runExample } from './run-example.ts';

test('custom-source totals every order file of a directory, one line per customer, into part files', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'weir-custom-source-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const input = join(root, 'orders');
  const output = join(root, 'totals');
  mkdirSync(input);
  writeSampleOrders(input, 6, 400);
  writeFileSync(join(input, 'notes.txt'), 'not an order file\n');
  const run = await runExample('custom-source.ts', ['--input', input, '--output', output]);
  t.is(run.code, 0, run.stderr);
  const written = readdirSync(output).flatMap((file) => lines(readFileSync(join(output, file), 'utf8')));
  t.deepEqual(written.sort(), orderTotals(input));
});

test('custom-source without --input writes a sample directory and prints the totals', async (t) => {
  const run = await runExample('custom-source.ts', []);
  t.is(run.code, 0, run.stderr);
  t.deepEqual(
    lines(run.stdout).map((line) => line.split('\t')[0]).sort(),
    ['ada', 'barbara', 'donald', 'edsger', 'grace'],
  );
});

test('custom-source fails naming the file and line of a malformed order, and the source', async (t) => {
  const input = mkdtempSync(join(tmpdir(), 'weir-custom-source-'));
  t.teardown(() => rmSync(input, { recursive: true, force: true }));
  writeFileSync(join(input, 'a.jsonl'), '{"customer":"ada","amount":1}\n{"customer":"ada"}\n');
  const run = await runExample('custom-source.ts', ['--input', input]);
  t.not(run.code, 0);
  t.regex(run.stderr, /operator "Source: Order Files" \(id "source-0"\) failed reading split 0: .*a\.jsonl:2: expected \{"customer": string, "amount": number\}/);
});
