// security.ssl.internal.*: the PEM files of a process's mutual TLS (its certificate, its private key
// and the cluster's CA), read once at start, relative to the Weir folder. The key file must not be
// readable by every user, as the secret file.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type TlsOptions, checkTlsOptions } from '../../actors/index.ts';
import { WeirError, describeError } from '../../messages/errors.ts';
import { readPrivateFile } from './auth-secret.ts';
import type { WeirConfig } from './schema.ts';

type TlsConfig = Pick<WeirConfig, 'internalTlsEnabled' | 'internalTlsCert' | 'internalTlsKey' | 'internalTlsCa' | 'tlsVerifyHostname'>;

/** The TLS options of this process, or undefined when security.ssl.internal.enabled is not true. */
export function readInternalTls(config: TlsConfig, home: string): TlsOptions | undefined {
  if (!config.internalTlsEnabled) return undefined;
  const pathOf = (part: 'cert' | 'key' | 'ca', file: string | null): string => {
    if (file === null) throw new WeirError('INVALID_CONFIG', `security.ssl.internal.enabled is true, but security.ssl.internal.${part} is not set: set the ${part === 'ca' ? "cluster CA's certificate" : part === 'key' ? 'private key' : 'certificate'} (a PEM file)`);
    return resolve(home, file);
  };
  const cert = readPublicFile(pathOf('cert', config.internalTlsCert), 'security.ssl.internal.cert');
  const keyPath = pathOf('key', config.internalTlsKey);
  const key = readPrivateFile(keyPath, `${keyPath} (security.ssl.internal.key)`);
  const ca = readPublicFile(pathOf('ca', config.internalTlsCa), 'security.ssl.internal.ca');
  return checkTlsOptions({ cert, key, ca, verifyHostname: config.tlsVerifyHostname }, 'security.ssl.internal');
}

function readPublicFile(path: string, key: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new WeirError('INVALID_CONFIG', `cannot read ${path} (${key}): ${describeError(error)}`, { cause: error });
  }
}
