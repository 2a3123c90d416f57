import { A4PrinterDriver, describeA4DriverError } from '../../../drivers/a4-printer/a4-printer-driver';
import { discoverIppPrinters, type IppDiscovery } from '../../../drivers/a4-printer/ipp-discovery';
import type { A4PrinterState } from '../../../drivers/a4-printer/ipp-status';
import type { Log } from '../../../foundation/log';
import { err, ok, assertNever, type Result } from '../../../foundation/result';
import type { A4PrinterLink } from '../../../kiosk-config/config-schema';
import type { ResultOf } from '../../api/contract';
import type { Refusal } from '../../api/failures';
import type { A4PrinterStateName } from '../../api/document-contract';
import type { A4PrinterView } from '../../api/staff-contract';
import { printOnce } from './a4-print';
import type { A4PrinterLinkHandle } from './a4-printer-link';
import { renderTestPagePdf } from './test-page-pdf';
import { a4PrinterWithoutSecrets, withoutSecrets } from '../staff/diagnostics-bundle';
import type { SiteSettingsService } from '../staff/site-settings-service';
import type { Actor } from '../staff/staff-guard';

/**
 * The technician's A4 printer (查询打印): its state beside the receipt printer's, moving to another
 * printer by URI (checked with Get-Printer-Attributes before anything changes, then kept in the
 * on-site settings and audited), and a test page printed through the same path as a resident's proof.
 */
export interface A4PrinterAdmin {
  view(): Promise<Result<A4PrinterView, never>>;
  /** The same, for the staff health view, which does not wait longer than `withinMs` for the printer. */
  current(withinMs?: number): Promise<A4PrinterView>;
  set(
    link: A4PrinterLink,
    actor: Actor,
  ): Promise<
    Result<{ printer: A4PrinterView; keptForNextStart: boolean }, Refusal<{ kind: 'unreachable'; detail: string }>>
  >;
  discover(actor: Actor): Promise<Result<ResultOf<'tech.a4Printer.discover'>, never>>;
  testPage(actor: Actor): Promise<Result<{ pages: number }, { kind: 'print-failed'; state: A4PrinterStateName }>>;
}

export interface A4PrinterAdminDeps {
  readonly link: A4PrinterLinkHandle;
  readonly siteSettings: Pick<SiteSettingsService, 'keepDeviceChoice'>;
  readonly terminal: () => { readonly id: string; readonly name: string };
  readonly log: Log;
  /** DNS-SD browsing (ippfind); tests give another. */
  readonly discover?: () => Promise<IppDiscovery>;
  /** How long the check of a new URI waits for an answer. */
  readonly checkTimeoutMs?: number;
  readonly now?: () => Date;
}

/** What the device view and staff health show; a password in the URI stays on the service side. */
export function viewOf(link: A4PrinterLink, state: A4PrinterState, model: string | null): A4PrinterView {
  const base = { link: a4PrinterWithoutSecrets(link), state: state.state, model };
  switch (state.state) {
    case 'ready':
    case 'busy':
      return { ...base, warnings: [...state.warnings], detail: null };
    case 'offline':
      return { ...base, warnings: [], detail: state.reason.slice(0, 500) };
    case 'error':
      return { ...base, warnings: [], detail: state.reasons.join(', ').slice(0, 500) };
    case 'media-empty':
    case 'media-jam':
    case 'door-open':
    case 'toner-empty':
    case 'not-configured':
      return { ...base, warnings: [], detail: null };
    default:
      return assertNever(state);
  }
}

/** Where a link points, for the audit log and the test page: never a password in the URI. */
function whereTo(link: A4PrinterLink): string {
  return link.kind === 'ipp' ? (withoutSecrets(link.uri) ?? 'ipp') : link.kind;
}

export function createA4PrinterAdmin(deps: A4PrinterAdminDeps): A4PrinterAdmin {
  const { log } = deps;
  const now = deps.now ?? (() => new Date());

  async function current(withinMs?: number): Promise<A4PrinterView> {
    const link = deps.link.link();
    const driver = await deps.link.driver();
    if (driver === null) return viewOf(link, { state: 'not-configured' }, null);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      if (withinMs !== undefined) timer = setTimeout(() => resolve(null), withinMs);
    });
    const probed = await Promise.race([driver.probe(), late]).finally(() => clearTimeout(timer));
    if (probed === null) return viewOf(link, { state: 'offline', reason: `no answer in ${withinMs} ms` }, null);
    return probed.ok
      ? viewOf(link, probed.value.state, probed.value.model)
      : viewOf(link, { state: 'offline', reason: describeA4DriverError(probed.error) }, null);
  }

  return {
    view: async () => ok(await current()),
    current,
    async set(link, actor) {
      if (link.kind === 'ipp') {
        const candidate = new A4PrinterDriver({ uri: link.uri, log, timeoutMs: deps.checkTimeoutMs ?? 5000 });
        const probed = await candidate.probe();
        if (!probed.ok) {
          actor.audit('tech.a4-printer-refused', { printer: whereTo(link), reason: probed.error.kind });
          log.warn({ printer: whereTo(link), reason: probed.error.kind }, 'a4 printer address refused');
          return err({ kind: 'unreachable', detail: describeA4DriverError(probed.error) });
        }
      }
      await deps.link.replace(link);
      const kept = deps.siteSettings.keepDeviceChoice({ a4Printer: link }, actor);
      if (!kept.ok) log.warn({ reason: kept.error.detail }, 'a4 printer choice not kept for the next start');
      actor.audit('tech.a4-printer-set', { printer: whereTo(link), kept: kept.ok });
      log.info({ printer: whereTo(link) }, 'a4 printer set');
      return ok({ printer: await current(), keptForNextStart: kept.ok });
    },
    async discover(actor) {
      const found = await (deps.discover ?? (() => discoverIppPrinters()))();
      const searched = found.kind === 'found';
      actor.audit('tech.a4-printers-discovered', { searched, found: searched ? found.printers.length : 0 });
      if (!searched) log.info({ reason: found.reason }, 'dns-sd browsing not possible');
      return ok({
        printers: searched ? [...found.printers] : [],
        searched,
        detail: searched ? null : found.reason,
      });
    },
    async testPage(actor) {
      const link = deps.link.link();
      const terminal = deps.terminal();
      const pdf = await renderTestPagePdf({
        terminalId: terminal.id,
        terminalName: terminal.name,
        printer: link.kind === 'simulated' ? '模拟打印机' : whereTo(link),
        at: now(),
      });
      const printed = await printOnce(await deps.link.driver(), { pdf, name: 'test-page', pages: 1 }, { log });
      actor.audit('tech.a4-test-page', { printed: printed.ok, state: printed.ok ? 'completed' : printed.error.state });
      return printed.ok
        ? ok({ pages: printed.value.pages })
        : err({ kind: 'print-failed', state: printed.error.state });
    },
  };
}
