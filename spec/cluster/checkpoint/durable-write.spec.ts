// A checkpoint file is written through a fsynced temporary file and a rename: the file holds every
// byte, no temporary file is left, and a write that cannot happen throws and leaves nothing behind.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { writeFileDurably } from '../../../cluster/checkpoint/durable-write.ts';

function directory(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'weir-durable-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a durable write leaves the whole file under its name and no temporary file', (t) => {
  const dir = directory(t);
  const bytes = Uint8Array.from({ length: 3 * 1024 * 1024 + 7 }, (_, index) => index % 251);
  writeFileDurably(join(dir, 'state'), bytes);
  writeFileDurably(join(dir, '_metadata'), '{"checkpointId":1}\n');
  t.deepEqual(readdirSync(dir).sort(), ['_metadata', 'state']);
  t.deepEqual(new Uint8Array(readFileSync(join(dir, 'state'))), bytes);
  t.is(readFileSync(join(dir, '_metadata'), 'utf8'), '{"checkpointId":1}\n');
});

test('a durable write into a directory that does not exist throws and creates nothing', (t) => {
  const dir = directory(t);
  const error = t.throws(() => writeFileDurably(join(dir, 'missing', '_metadata'), 'x'));
  t.regex(error?.message ?? '', /ENOENT/);
  t.false(existsSync(join(dir, 'missing')));
});
