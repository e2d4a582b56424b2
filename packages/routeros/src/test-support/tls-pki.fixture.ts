// A throwaway PKI made with the system openssl at test time (no key material is committed): a
// CA, a router certificate it signed for router.kasi.test and 127.0.0.1, and an unrelated CA
// for the "wrong CA" cases. Test-only.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROUTER_HOSTNAME = 'router.kasi.test';

export interface TestPki {
  caCert: string;
  otherCaCert: string;
  routerKey: string;
  routerCert: string;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'pipe' });
}

function createCa(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  openssl([
    'req',
    '-x509',
    ...EC_KEY,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  return { cert, key };
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'kasi-routeros-pki-'));
  try {
    const ca = createCa(dir, 'Kasi Test CA');
    const other = createCa(dir, 'Unrelated CA');
    const key = join(dir, 'router.key');
    const csr = join(dir, 'router.csr');
    const cert = join(dir, 'router.pem');
    const ext = join(dir, 'router.ext');
    writeFileSync(
      ext,
      [
        `subjectAltName=DNS:${ROUTER_HOSTNAME},IP:127.0.0.1`,
        'basicConstraints=CA:FALSE',
        'keyUsage=critical,digitalSignature',
        'extendedKeyUsage=serverAuth',
      ].join('\n'),
    );
    openssl(['req', '-new', ...EC_KEY, '-subj', `/CN=${ROUTER_HOSTNAME}`, '-keyout', key, '-out', csr]);
    const sign = ['-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-days', '1', '-extfile', ext];
    openssl(['x509', '-req', '-in', csr, ...sign, '-out', cert]);
    return {
      caCert: readFileSync(ca.cert, 'utf8'),
      otherCaCert: readFileSync(other.cert, 'utf8'),
      routerKey: readFileSync(key, 'utf8'),
      routerCert: readFileSync(cert, 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
