// The shared secret of a cluster (security.auth.secret, security.auth.secret-file, WEIR_AUTH_SECRET):
// its value type, which never echoes the value in an error, and the file form, read once at start.
// A secret file anyone on the machine may read protects nothing: it is refused, not warned about.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { AuthSecret, MIN_SECRET_BYTES } from '../../actors/index.ts';
import { WeirError, describeError } from '../../messages/errors.ts';
import type { ValueType } from './value-types.ts';

/** security.auth.secret: any text of MIN_SECRET_BYTES bytes or more. Errors say its length, never the text. */
export const secret: ValueType<AuthSecret | null> = {
  expects: `a secret of at least ${MIN_SECRET_BYTES} bytes (generate one with "openssl rand -base64 32")`,
  sensitive: true,
  parse: (text) => (Buffer.byteLength(text) >= MIN_SECRET_BYTES ? AuthSecret.from(text) : undefined),
};

/** Permission bits of "every other user": a secret file must have none of read and write. */
const OTHERS_READ_WRITE = 0o006;

/**
 * Reads the secret in `file` (relative to `home`): its text without surrounding whitespace (a trailing
 * newline). Throws INVALID_CONFIG naming the file for a file that cannot be read, is not a regular
 * file, may be read or written by every user (chmod 600, or 640 to share it with a group), or holds
 * too short a secret.
 */
export function readSecretFile(file: string, home: string): AuthSecret {
  const path = resolve(home, file);
  const key = `${path} (security.auth.secret-file)`;
  return AuthSecret.from(readPrivateFile(path, key).trim(), `the secret in ${key}`);
}

/**
 * Reads a file that must stay private (a secret, a TLS private key): INVALID_CONFIG naming `key` for
 * a file that cannot be read, is not a regular file, or may be read or written by every user.
 */
export function readPrivateFile(path: string, key: string): string {
  try {
    const stats = statSync(path);
    if (!stats.isFile()) throw new WeirError('INVALID_CONFIG', `${key} is not a regular file`);
    if ((stats.mode & OTHERS_READ_WRITE) !== 0) {
      const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
      throw new WeirError('INVALID_CONFIG', `${key} may be read or written by every user (mode ${mode}); refusing to use it: chmod 600 it (640 to share it with a group)`);
    }
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof WeirError) throw error;
    throw new WeirError('INVALID_CONFIG', `cannot read ${key}: ${describeError(error)}`, { cause: error });
  }
}
