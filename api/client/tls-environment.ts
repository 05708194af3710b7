// A program's client reads the cluster's TLS from the environment, as it reads WEIR_AUTH_SECRET: the
// variables that override weir.yaml's security.ssl.internal.* keys (paths relative to the working
// directory), so that `{ cluster: 'host:port' }` works against a TLS cluster without code.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type TlsOptions, checkTlsOptions } from '../../actors/index.ts';
import { WeirError, describeError } from '../../messages/errors.ts';

export function tlsFromEnvironment(env: NodeJS.ProcessEnv): TlsOptions | undefined {
  if (env.WEIR_SECURITY_SSL_INTERNAL_ENABLED !== 'true') return undefined;
  const read = (part: 'CERT' | 'KEY' | 'CA'): string => {
    const name = `WEIR_SECURITY_SSL_INTERNAL_${part}`;
    const file = env[name];
    if (!file) throw new WeirError('INVALID_CONFIG', `WEIR_SECURITY_SSL_INTERNAL_ENABLED is true, but ${name} is not set (a PEM file)`);
    try {
      return readFileSync(resolve(file), 'utf8');
    } catch (error) {
      throw new WeirError('INVALID_CONFIG', `cannot read ${resolve(file)} (${name}): ${describeError(error)}`, { cause: error });
    }
  };
  return checkTlsOptions({ cert: read('CERT'), key: read('KEY'), ca: read('CA'), verifyHostname: env.WEIR_SECURITY_SSL_VERIFY_HOSTNAME !== 'false' }, 'WEIR_SECURITY_SSL_INTERNAL_*');
}
