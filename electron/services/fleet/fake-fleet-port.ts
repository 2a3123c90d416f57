/** An in-memory FleetTerminalPort for tests: devices and outbox set by hand, actions recorded. */
import type { ActionOutcome, FleetTerminalPort, Notice } from './fleet-port';

export interface FakeFleetPort extends FleetTerminalPort {
  deviceStates: Record<string, { state: string; detail?: string }>;
  outboxState: { depth: number; oldestUnsentAt: string | null };
  /** New applications refused for want of disk space, set by hand. */
  refused: boolean;
  readonly calls: string[];
  readonly notices: Array<Notice | null>;
}

export function createFakeFleetPort(startedAt = new Date().toISOString()): FakeFleetPort {
  const calls: string[] = [];
  const notices: Array<Notice | null> = [];
  const done = (what: string): Promise<ActionOutcome> => {
    calls.push(what);
    return Promise.resolve({ ok: true, message: `${what} done` });
  };
  const port: FakeFleetPort = {
    deviceStates: { printer: { state: 'ready' }, 'id-reader': { state: 'ready' } },
    outboxState: { depth: 0, oldestUnsentAt: null },
    calls,
    notices,
    identity: () => ({ name: '柳溪村便民服务站 1 号机', village: '柳溪村', version: '0.1.0', startedAt }),
    devices: () => ({ ...port.deviceStates }),
    outbox: () => ({ ...port.outboxState }),
    diskFreeBytes: () => Promise.resolve(10 * 1024 ** 3),
    refused: false,
    applicationsRefused: () => port.refused,
    clockOffsetMs: () => 0,
    lastResidentActivityAt: () => null,
    auditHead: () => 'a'.repeat(64),
    actions: {
      refreshCatalogue: () => done('refresh-catalogue'),
      uploadDiagnostics: () => done('upload-diagnostics'),
      selfTest: (device) => done(`self-test ${device}`),
      showNotice: (notice) => {
        notices.push(notice);
      },
    },
  };
  return port;
}
