/**
 * A private certificate authority and a broker certificate for tests, the bench and a local
 * demonstration, made with the system's `openssl`. A county uses its own PKI instead (docs/fleet.md);
 * terminals trust exactly the CA file named in their configuration.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BrokerCertificates {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

export function makeBrokerCertificates(dir: string, hostNames: readonly string[] = ['localhost']): BrokerCertificates {
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const curve = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...curve,
    '-keyout',
    path('ca.key'),
    '-out',
    path('ca.pem'),
    '-days',
    '3650',
    '-subj',
    '/CN=village-kiosk fleet test CA',
  );
  openssl(
    'req',
    ...curve,
    '-keyout',
    path('broker.key'),
    '-out',
    path('broker.csr'),
    '-subj',
    '/CN=village-kiosk fleet broker',
  );
  const altNames = ['IP:127.0.0.1', 'IP:::1', ...hostNames.map((h) => `DNS:${h}`)].join(',');
  writeFileSync(path('broker.ext'), `subjectAltName=${altNames}\nextendedKeyUsage=serverAuth\n`);
  openssl(
    'x509',
    '-req',
    '-in',
    path('broker.csr'),
    '-CA',
    path('ca.pem'),
    '-CAkey',
    path('ca.key'),
    '-CAcreateserial',
    '-out',
    path('broker.pem'),
    '-days',
    '825',
    '-extfile',
    path('broker.ext'),
  );
  return { caFile: path('ca.pem'), certFile: path('broker.pem'), keyFile: path('broker.key') };
}
