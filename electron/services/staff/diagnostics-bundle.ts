import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scrubPersonalPatterns } from '../../../foundation/personal-patterns';
import type { A4PrinterLink, KioskConfig } from '../../../kiosk-config/config-schema';
import type { AuditVerdict } from '../store/audit-log';
import type { FailedItem, OutboxStatus } from '../outbox/outbox-status';
import type { DeviceState } from './device-port';
import type { LogLine } from './log-ring';

/**
 * The diagnostic bundle a technician sends for remote repair: configuration without secrets,
 * devices, versions, recent log lines, outbox figures and the audit verdict. It holds no personal
 * data by construction (only non-personal sources go in) and, as a last check, anything shaped
 * like an ID number or a mobile number is blanked before it is written.
 */
export interface DiagnosticsInputs {
  readonly kioskVersion: string;
  readonly config: KioskConfig;
  readonly siteConfigSavedAt: string | null;
  readonly devices: ReadonlyArray<DeviceState> | null;
  readonly serialPorts?: ReadonlyArray<{ path: string; vendorId?: string; productId?: string; manufacturer?: string }>;
  readonly logs: ReadonlyArray<LogLine>;
  readonly outbox: OutboxStatus;
  readonly failedItems: ReadonlyArray<FailedItem>;
  readonly audit: AuditVerdict;
  readonly identity: { fingerprint: string | null; enrolledAt: string | null; platformUrl: string | null };
  readonly generatedAt: Date;
  /** Who asked: the technician console, the command line, or a county fleet command (uploaded). */
  readonly source: 'console' | 'cli' | 'fleet';
}

/** A URL without user, password, query or fragment: those are where secrets hide. */
export function withoutSecrets(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

/** An A4 printer link fit to show or export: an ipp(s) URI without its user and password. */
export function a4PrinterWithoutSecrets<L extends A4PrinterLink | undefined>(link: L): L {
  return (link?.kind === 'ipp' ? { kind: 'ipp', uri: withoutSecrets(link.uri) ?? '' } : link) as L;
}

export function buildDiagnosticsBundle(inputs: DiagnosticsInputs): string {
  const { config } = inputs;
  const bundle = {
    kind: 'village-kiosk diagnostics',
    generatedAt: inputs.generatedAt.toISOString(),
    source: inputs.source,
    versions: {
      kiosk: inputs.kioskVersion,
      node: process.versions.node,
      sqlite: process.versions['sqlite'] ?? null,
      platform: `${process.platform} ${process.arch}`,
    },
    config: {
      ...config,
      platform: { ...config.platform, url: withoutSecrets(config.platform.url) },
      devices: { ...config.devices, a4Printer: a4PrinterWithoutSecrets(config.devices.a4Printer) },
    },
    siteConfigSavedAt: inputs.siteConfigSavedAt,
    identity: { ...inputs.identity, platformUrl: withoutSecrets(inputs.identity.platformUrl ?? undefined) ?? null },
    devices: inputs.devices,
    serialPorts: inputs.serialPorts ?? null,
    outbox: { ...inputs.outbox, failedItems: inputs.failedItems },
    audit: inputs.audit,
    logs: inputs.logs,
  };
  return `${scrubPersonalPatterns(JSON.stringify(bundle, null, 2))}\n`;
}

export function bundleFileName(terminalId: string, at: Date): string {
  return `kiosk-diagnostics-${terminalId}-${at.toISOString().replace(/[:.]/g, '-')}.json`;
}

/** Writes the bundle into a folder (a USB drive's mount point); owner-readable only. */
export function writeBundleToFolder(folder: string, name: string, text: string): string {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, name);
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}

/** Mounted removable drives where a bundle can go (udisks mounts under /media/USER and /run/media/USER). */
export function removableFolders(roots: readonly string[] = ['/media', '/run/media', '/mnt']): string[] {
  const found: string[] = [];
  const children = (dir: string) => {
    try {
      return readdirSync(dir)
        .map((name) => join(dir, name))
        .filter((p) => statSync(p).isDirectory());
    } catch {
      return [];
    }
  };
  for (const root of roots) {
    for (const child of children(root)) {
      // /media/USER/LABEL and /run/media/USER/LABEL have one level more than /mnt/LABEL.
      if (root === '/mnt') found.push(child);
      else found.push(...children(child));
    }
  }
  return found;
}
