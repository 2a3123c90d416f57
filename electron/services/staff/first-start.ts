import type { Log } from '../../../foundation/log';
import { err, ok, type Result } from '../../../foundation/result';
import type { KioskConfig } from '../../../kiosk-config/config-schema';
import type { FailureOf, ResultOf } from '../../api/contract';
import type { Refusal } from '../../api/failures';
import { connectionOf, type CallContext } from '../../api/rpc-server';
import { readEnrolment } from '../platform-client/identity-store';
import type { AuditEntry } from '../store/audit-log';
import type { EnrolmentService } from './enrolment-service';
import type { SiteSettingsService } from './site-settings-service';
import type { StaffAuth } from './staff-auth';
import type { StaffGuard } from './staff-guard';

/**
 * The first-start setup a technician does on site (issue 13 "First start"): a fresh terminal has
 * no working PIN and shows this instead of the resident screen. One call sets the site, enrols the
 * terminal at a remote platform with its one-time code, and sets both PINs; the technician is then
 * signed in and continues in the technician console (devices, test receipt). Once both PINs exist
 * the setup refuses everything: it can never reset a PIN of a terminal in service.
 */
export type SetupFailure = Exclude<FailureOf<'setup.complete'>, never>;

export interface FirstStart {
  status(): Result<ResultOf<'setup.status'>, never>;
  complete(
    request: {
      terminalName: string;
      servicePointName: string;
      platformUrl: string;
      code: string;
      staffPin: string;
      technicianPin: string;
    },
    ctx?: CallContext,
  ): Promise<Result<Record<string, never>, Refusal<SetupFailure>>>;
}

const nameOk = (text: string) => text.trim().length >= 1 && text.trim().length <= 60;

export function createFirstStart(deps: {
  readonly config: KioskConfig;
  readonly auth: Pick<StaffAuth, 'pinsSet' | 'setFirstPins'>;
  readonly guard: StaffGuard;
  readonly enrolment: EnrolmentService;
  readonly siteSettings: SiteSettingsService;
  readonly platformUrl: string;
  readonly dataDir: string;
  readonly audit: (entry: AuditEntry) => void;
  readonly log: Log;
}): FirstStart {
  const { config, auth, log } = deps;
  const enrolled = () => config.platform.mode === 'embedded' || readEnrolment(deps.dataDir) !== null;
  return {
    status() {
      return ok({
        needed: !auth.pinsSet(),
        terminalId: config.terminal.id,
        terminalName: config.terminal.name,
        servicePointName: config.servicePoint.name,
        platform: { mode: config.platform.mode, url: deps.platformUrl, enrolled: enrolled() },
      });
    },
    async complete(request, ctx) {
      if (auth.pinsSet()) {
        deps.audit({ actor: 'unknown', action: 'setup.refused', details: { reason: 'already-provisioned' } });
        return err({ kind: 'already-provisioned' });
      }
      if (!nameOk(request.terminalName) || !nameOk(request.servicePointName)) return err({ kind: 'name-format' });
      const code = request.code.trim();
      if (config.platform.mode === 'remote' && !enrolled() && code === '') return err({ kind: 'code-needed' });
      if (code !== '') {
        // Enrolled before any PIN is written: a refused code leaves the terminal as it was.
        const done = await deps.enrolment.enrol(
          { platformUrl: request.platformUrl, code },
          {
            name: 'setup',
            audit: (action, details) =>
              deps.audit({ actor: 'setup', action, ...(details === undefined ? {} : { details }) }),
          },
        );
        if (!done.ok) return done;
      }
      // The technician is signed in on the connection that ran the setup.
      const pins = await auth.setFirstPins(
        { staff: request.staffPin, technician: request.technicianPin },
        'setup',
        ctx === undefined ? undefined : connectionOf(ctx),
      );
      if (!pins.ok) return pins;
      const terminalName = request.terminalName.trim();
      const servicePointName = request.servicePointName.trim();
      // Names as configured: no on-site file to write (and nothing for a later rollback to undo).
      if (terminalName === config.terminal.name && servicePointName === config.servicePoint.name) {
        log.info({}, 'first-start setup done');
        return ok({});
      }
      // The one who set the PINs is the technician on site, now signed in: the site is saved under that session.
      const saved = await deps.guard.technician((_params: null, actor) => {
        const current = deps.siteSettings.get();
        if (!current.ok) return current;
        return deps.siteSettings.save(
          {
            ...current.value.settings,
            terminalName,
            servicePointName,
          },
          actor,
        );
      })(null, ctx);
      if (!saved.ok) {
        log.warn({ reason: saved.error.kind }, 'first-start: site not saved');
        const failure = saved.error;
        return err(failure.kind === 'not-allowed' ? { kind: 'not-saved', detail: 'no technician session' } : failure);
      }
      log.info({}, 'first-start setup done');
      return ok({});
    },
  };
}
