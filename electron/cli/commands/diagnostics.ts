import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { SerialPort } from 'serialport';
import { embeddedCatalogue } from '../../../kiosk-config/catalogue';
import { parsePublicKey, keyFingerprint } from '../../../platform/contract/terminal-identity';
import { loadConfig } from '../../services/config/config-loader';
import { listFailedItems, readOutboxStatus } from '../../services/outbox/outbox-status';
import { publicKeyPath, readEnrolment } from '../../services/platform-client/identity-store';
import { buildDiagnosticsBundle } from '../../services/staff/diagnostics-bundle';
import { readMirroredLog, recentLogFileName } from '../../services/staff/log-ring';
import { applySiteConfig, readSiteConfig } from '../../services/staff/site-config';
import { verifyAuditChain } from '../../services/store/audit-log';
import { kioskVersion } from '../../services/version';
import { CliExit, type CliIo } from '../cli-io';
import { openStoreReadOnly } from './outbox';

/**
 * `kiosk diagnostics export --out FILE [--data DIR] [--config FILE]`: the same bundle as the
 * technician console's, for remote repair over a shell. Safe while the kiosk runs (the store is
 * opened read-only; the logs are the copy the running kiosk keeps in the data folder).
 */
function fingerprintOf(dataDir: string): string | null {
  try {
    const key = parsePublicKey(readFileSync(publicKeyPath(dataDir), 'utf8'));
    return key.ok ? keyFingerprint(key.value) : null;
  } catch {
    return null;
  }
}

export function registerDiagnosticsCommands(program: Command, io: CliIo): void {
  const diagnostics = program
    .command('diagnostics')
    .description('diagnostic bundle for remote repair (no personal data)');
  diagnostics
    .command('export')
    .description('write configuration without secrets, devices, versions, recent logs and outbox figures to a file')
    .requiredOption('--out <file>', 'where to write the bundle (JSON)')
    .option('--data <dir>', 'data folder', '.kiosk-data')
    .option('--config <file>', 'configuration file the kiosk runs with')
    .action(async (options: { out: string; data: string; config?: string }) => {
      const loaded = await loadConfig(options.config);
      if (!loaded.ok) {
        io.err(`kiosk: configuration error: ${loaded.error.message}`);
        throw new CliExit(2);
      }
      const dataDir = resolve(options.data);
      const site = readSiteConfig(dataDir);
      const applied = site.ok ? applySiteConfig(loaded.value, embeddedCatalogue, site.value) : site;
      const config = applied.ok ? applied.value.config : loaded.value;
      const serialPorts = await SerialPort.list().catch(() => []);
      const db = openStoreReadOnly(dataDir, io);
      let text: string;
      try {
        const enrolled = readEnrolment(dataDir);
        text = buildDiagnosticsBundle({
          kioskVersion,
          config,
          siteConfigSavedAt: site.ok ? (site.value?.savedAt ?? null) : null,
          // Live states belong to the running kiosk; the CLI knows where devices are configured.
          devices: [
            { role: 'id-reader', link: config.devices.idReader, status: { state: 'configured' } },
            { role: 'printer', link: config.devices.printer, status: { state: 'configured' } },
            { role: 'scanner', link: config.devices.scanner, status: { state: 'configured' } },
          ],
          serialPorts: serialPorts.map((p) => ({
            path: p.path,
            ...(p.vendorId === undefined ? {} : { vendorId: p.vendorId }),
            ...(p.productId === undefined ? {} : { productId: p.productId }),
            ...(p.manufacturer === undefined ? {} : { manufacturer: p.manufacturer }),
          })),
          logs: readMirroredLog(join(dataDir, recentLogFileName)),
          outbox: readOutboxStatus(db),
          failedItems: listFailedItems(db, 50),
          audit: verifyAuditChain(db),
          identity: {
            fingerprint: fingerprintOf(dataDir),
            enrolledAt: enrolled?.enrolledAt ?? null,
            platformUrl: enrolled?.platformUrl ?? null,
          },
          generatedAt: new Date(),
          source: 'cli',
        });
      } finally {
        db.close();
      }
      try {
        writeFileSync(resolve(options.out), text, { mode: 0o600 });
      } catch (error) {
        io.err(`kiosk: ${options.out}: cannot write (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
        throw new CliExit(2);
      }
      io.out(`diagnostics written to ${options.out} (${Buffer.byteLength(text)} bytes, no personal data)`);
    });
}
