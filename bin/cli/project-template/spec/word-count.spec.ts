// The job's functions, driven record by record by Weir's operator test harness, without a cluster.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DataStream } from 'weir';
import { ProcessFunctionTestHarnesses } from 'weir/testing';
import { countWords, tokenize } from '../src/word-count.ts';

test('a line becomes its words in lower case, without punctuation', async () => {
  const harness = ProcessFunctionTestHarnesses.forPipeline((lines: DataStream<string>) => lines.flatMap(tokenize));
  await harness.open();
  harness.processElement('To be, or not to be,');
  assert.deepEqual(harness.extractOutputValues(), ['to', 'be', 'or', 'not', 'to', 'be']);
  await harness.close();
});

test('each word is counted on its own key', async () => {
  const harness = ProcessFunctionTestHarnesses.forPipeline(countWords);
  await harness.open();
  for (const word of ['to', 'be', 'to']) harness.processElement([word, 1]);
  assert.deepEqual(harness.extractOutputValues(), [
    ['to', 1],
    ['be', 1],
    ['to', 2],
  ]);
  await harness.close();
});
