// The harness is its own entry of the package, 'weir/testing': a test imports it, a job module does
// not, so job bundles never carry it.
import test from 'ava';
import * as api from '../../../api/index.ts';
import * as entry from '../../../index.ts';
import * as testing from '../../../api/testing/index.ts';

test('"weir/testing" is the harness entry, resolved through the package exports', async (t) => {
  const viaPackage = (await import('weir/testing')) as typeof testing;
  t.is(viaPackage.ProcessFunctionTestHarnesses, testing.ProcessFunctionTestHarnesses);
  t.deepEqual(Object.keys(testing).sort(), ['ProcessFunctionTestHarnesses', 'record', 'watermark', 'watermarkStatus']);
});

test('neither the job API nor the package entry exports the harness', (t) => {
  for (const name of Object.keys(testing)) {
    t.false(name in api, `api/index.ts exports ${name}`);
    t.false(name in entry, `index.ts exports ${name}`);
  }
});
