import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { fail, type CliIo } from '../cli-io';
import { dataDirOf, dataOption, type DataOptions } from '../cli-options';
import { exitCodes } from '../exit-codes';

/**
 * `kiosk diagnostics export --out FILE [--data DIR] [--config FILE]`: the same bundle as the
 * technician console's, for remote repair over a shell. Safe while the kiosk runs (the store is
 * opened read-only; the logs are the copy the running kiosk keeps in the data folder).
 */
async function fingerprintOf(dataDir: string): Promise<string | null> {
  const { parsePublicKey, keyFingerprint } = await import('../../../platform/contract/terminal-identity');
  const { publicKeyPath } = await import('../../services/platform-client/identity-store');
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
  dataOption(diagnostics.command('export'))
    .description('write configuration without secrets, devices, versions, recent logs and outbox figures to a file')
    .requiredOption('--out <file>', 'where to write the bundle (JSON)')
    .option('--config <file>', 'configuration file the kiosk runs with')
    .option('--json', 'report what was written as one JSON object')
    .action(async (options: DataOptions & { out: string; config?: string; json?: boolean }) => {
      const [
        { SerialPort },
        { embeddedCatalogue },
        { loadConfig },
        { listFailedItems, readOutboxStatus },
        { readEnrolment },
        { buildDiagnosticsBundle },
        { readMirroredLog, recentLogFileName },
        { applySiteConfig, readSiteConfig },
        { verifyAuditChain },
        { kioskVersion },
        { findAuditKey, openStoreReadOnly },
      ] = await Promise.all([
        import('serialport'),
        import('../../../kiosk-config/catalogue'),
        import('../../services/config/config-loader'),
        import('../../services/outbox/outbox-status'),
        import('../../services/platform-client/identity-store'),
        import('../../services/staff/diagnostics-bundle'),
        import('../../services/staff/log-ring'),
        import('../../services/staff/site-config'),
        import('../../services/store/audit-log'),
        import('../../services/version'),
        import('../store-access'),
      ]);
      const loaded = await loadConfig(options.config);
      if (!loaded.ok) fail(io, exitCodes.usage, `configuration error: ${loaded.error.message}`);
      const dataDir = dataDirOf(options);
      const site = readSiteConfig(dataDir);
      const applied = site.ok ? applySiteConfig(loaded.value, embeddedCatalogue, site.value) : site;
      const config = applied.ok ? applied.value.config : loaded.value;
      const serialPorts = await SerialPort.list().catch(() => []);
      const auditKey = findAuditKey(options);
      const db = openStoreReadOnly(options, io);
      const fingerprint = await fingerprintOf(dataDir);
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
            { role: 'keypad', link: config.devices.keypad ?? { kind: 'none' }, status: { state: 'configured' } },
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
          audit:
            auditKey === null
              ? { ok: false, firstBadSeq: 0, reason: 'not checked: the data key is not in a file here' }
              : verifyAuditChain(db, auditKey),
          identity: {
            fingerprint,
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
        fail(io, exitCodes.usage, `${options.out}: cannot write (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      const bytes = Buffer.byteLength(text);
      if (options.json === true) io.out(JSON.stringify({ out: resolve(options.out), bytes }));
      else io.out(`diagnostics written to ${options.out} (${bytes} bytes, no personal data)`);
    });
}
