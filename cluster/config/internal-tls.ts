// security.ssl.internal.*: the PEM files of a process's mutual TLS (its certificate, its private key
// and the cluster's CA), and security.ssl.rest.*: the REST server's certificate and key; read once at
// start, relative to the Weir folder. A key file must not be readable by every user, as the secret file.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type TlsOptions, checkTlsOptions } from '../../actors/index.ts';
import { WeirError, describeError } from '../../messages/errors.ts';
import { readPrivateFile } from './auth-secret.ts';
import type { WeirConfig } from './schema.ts';

type TlsConfig = Pick<WeirConfig, 'internalTlsEnabled' | 'internalTlsCert' | 'internalTlsKey' | 'internalTlsCa' | 'tlsVerifyHostname'>;
type RestTlsConfig = Pick<WeirConfig, 'restTlsEnabled' | 'restTlsCert' | 'restTlsKey'>;

/** The REST server's certificate and key, or undefined when security.ssl.rest.enabled is not true. */
export function readRestTls(config: RestTlsConfig, home: string): { readonly cert: string; readonly key: string } | undefined {
  if (!config.restTlsEnabled) return undefined;
  for (const [part, file] of [['cert', config.restTlsCert], ['key', config.restTlsKey]] as const) {
    if (file === null) throw new WeirError('INVALID_CONFIG', `security.ssl.rest.enabled is true, but security.ssl.rest.${part} is not set: set the REST server's ${part === 'key' ? 'private key' : 'certificate'} (a PEM file)`);
  }
  const certPath = resolve(home, config.restTlsCert as string);
  const keyPath = resolve(home, config.restTlsKey as string);
  const cert = readPublicFile(certPath, 'security.ssl.rest.cert');
  const key = readPrivateFile(keyPath, `${keyPath} (security.ssl.rest.key)`);
  // The CA part is not the REST server's to check (browsers bring their own): the certificate stands in for it.
  checkTlsOptions({ cert, key, ca: cert }, 'security.ssl.rest');
  return { cert, key };
}

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
