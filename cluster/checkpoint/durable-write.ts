// Writing a checkpoint's files so that a machine crash cannot leave a checkpoint that looks complete
// but is not: the bytes go to a temporary name, are fsynced, and the file is renamed into place; the
// directory is fsynced after the rename so that the new name itself is durable. `_metadata` is
// written last this way, after every file it names is durable, so it never refers to lost bytes.
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Writes `bytes` to `path` through a fsynced temporary file and a rename. */
export function writeFileDurably(path: string, bytes: Uint8Array | string): void {
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    for (let offset = 0; offset < data.length; ) offset += writeSync(fd, data, offset, data.length - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  syncDirectory(dirname(path));
}

/** fsync of a directory: its entries (a rename, a new file) survive a crash. */
export function syncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(directory, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory (EINVAL, EISDIR on a few): the file's own fsync is what they offer.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
