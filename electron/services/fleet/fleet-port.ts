/**
 * What the fleet agent reads of the kiosk and may ask of it: a narrow port, filled in by the
 * composition root (kiosk-services.ts), so the agent knows nothing of the store, devices or outbox.
 * Nothing read here may carry personal data.
 */
import type { deviceRoles } from '../../../fleet/contract/fleet-payloads';

export interface Notice {
  readonly text: string;
  readonly until: string;
}

export interface ActionOutcome {
  readonly ok: boolean;
  /** Short and free of personal data: it travels to the console. */
  readonly message: string;
}

export interface FleetTerminalPort {
  identity(): { name: string; village: string; version: string; startedAt: string };
  /** Configured devices and their states (a role set to `none` is left out). */
  devices(): Record<string, { state: string; detail?: string }>;
  outbox(): { depth: number; oldestUnsentAt: string | null };
  diskFreeBytes(): Promise<number | null>;
  /** New applications are refused for want of disk space (store/storage-guard.ts). */
  applicationsRefused(): boolean;
  /** Terminal clock minus the platform's, when known. */
  clockOffsetMs(): number | null;
  lastResidentActivityAt(): string | null;
  auditHead(): string | null;
  readonly actions: {
    refreshCatalogue(): Promise<ActionOutcome>;
    uploadDiagnostics(): Promise<ActionOutcome>;
    selfTest(device: (typeof deviceRoles)[number]): Promise<ActionOutcome>;
    showNotice(notice: Notice | null): void;
  };
}
