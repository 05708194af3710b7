// Throwaway certificates for TLS specs, made with openssl in a temporary directory: a CA and leaf
// certificates it signs, for 127.0.0.1 and localhost (P-256 keys: quick to make).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TlsOptions } from '../../actors/index.ts';

export interface CertificateAuthority {
  /** The CA's certificate (PEM). */
  readonly ca: string;
  /** A new leaf certificate and key for 127.0.0.1 / localhost, signed by this CA; each call makes another. */
  issue(name: string): TlsOptions;
  /** Where the PEM files are: `<name>.crt`, `<name>.key` (mode 600) and `ca.crt`. */
  readonly directory: string;
  /** Removes the directory. */
  dispose(): void;
}

const openssl = (cwd: string, args: readonly string[]): void => {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
};

export function createCertificateAuthority(label: string): CertificateAuthority {
  const directory = mkdtempSync(join(tmpdir(), `weir-tls-${label}-`));
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(directory, ['req', '-x509', ...ecKey, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', `/CN=weir-spec-ca-${label}`]);
  const ca = readFileSync(join(directory, 'ca.crt'), 'utf8');
  writeFileSync(join(directory, 'leaf.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
  return {
    ca,
    directory,
    issue(name) {
      openssl(directory, ['req', ...ecKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
      chmodSync(join(directory, `${name}.key`), 0o600);
      openssl(directory, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', 'leaf.ext']);
      return { cert: readFileSync(join(directory, `${name}.crt`), 'utf8'), key: readFileSync(join(directory, `${name}.key`), 'utf8'), ca };
    },
    dispose: () => rmSync(directory, { recursive: true, force: true }),
  };
}
