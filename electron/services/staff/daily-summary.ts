import { localDateTime, localDay, localDayBounds } from '../../../foundation/local-time';
import { ok, type Result } from '../../../foundation/result';
import type { Catalogue } from '../../../kiosk-config/catalogue-schema';
import type { KioskConfig } from '../../../kiosk-config/config-schema';
import type { ReceiptDocument } from '../../../drivers/receipt/receipt-model';
import type { PrintOutcome } from '../../api/journey-contract';
import type { DailySummary } from '../../api/staff-contract';
import type { ReceiptPrinter } from '../receipt/receipt-printer';
import type { Store } from '../store/store';
import type { Actor } from './staff-guard';

/**
 * The day's figures for staff: applications by service and delivery state, how many staff helped
 * with, and ratings by level. Counts only — no names, numbers or answers — so it may be printed and
 * left lying on the counter.
 */
const levelNames = ['非常不满意', '不满意', '基本满意', '满意', '非常满意'] as const;

export function dailySummary(store: Pick<Store, 'applications' | 'ratings'>, day: string): DailySummary {
  const [from, to] = localDayBounds(day);
  const rows = store.applications.countsByService(from, to);
  const byLevel = store.ratings.levelCounts(from, to);
  return {
    date: day,
    total: rows.reduce((sum, r) => sum + r.total, 0),
    assisted: rows.reduce((sum, r) => sum + r.assisted, 0),
    byService: rows.map(({ serviceCode, total, submitted, waiting, failed }) => ({
      serviceCode,
      total,
      submitted,
      waiting,
      failed,
    })),
    ratings: { count: byLevel.reduce((a, b) => a + b, 0), byLevel },
  };
}

/** The summary as a receipt-printer document (Chinese, like the receipt). */
export function summaryDocument(
  summary: DailySummary,
  config: KioskConfig,
  catalogue: Catalogue,
  printedAt: string,
): ReceiptDocument {
  const serviceName = (code: string) => catalogue.services.find((s) => s.code === code)?.name['zh-CN'] ?? code;
  return {
    blocks: [
      { kind: 'text', text: '每日办理汇总', align: 'center', bold: true, size: 'double' },
      { kind: 'text', text: config.servicePoint.name, align: 'center' },
      { kind: 'text', text: `${config.terminal.name}（${config.terminal.id}）`, align: 'center' },
      { kind: 'rule', style: 'double' },
      { kind: 'text', text: `日期：${summary.date}` },
      { kind: 'text', text: `申请共 ${summary.total} 件，其中工作人员帮办 ${summary.assisted} 件`, bold: true },
      { kind: 'rule' },
      ...(summary.byService.length === 0
        ? [{ kind: 'text' as const, text: '今日暂无申请' }]
        : summary.byService.flatMap((s) => [
            { kind: 'text' as const, text: serviceName(s.serviceCode), bold: true },
            {
              kind: 'text' as const,
              text: `  共 ${s.total}：已提交 ${s.submitted}，待发送 ${s.waiting}，失败 ${s.failed}`,
            },
          ])),
      { kind: 'rule' },
      { kind: 'text', text: `评价 ${summary.ratings.count} 条`, bold: true },
      ...summary.ratings.byLevel
        .map((n, i) => ({ n, name: levelNames[i] ?? '' }))
        .reverse()
        .map(({ n, name }) => ({ kind: 'text' as const, text: `  ${name}：${n}` })),
      { kind: 'rule' },
      { kind: 'text', text: `打印时间：${printedAt}` },
      { kind: 'text', text: '本汇总不含个人信息。', align: 'center' },
      { kind: 'feed', lines: 2 },
      { kind: 'cut' },
    ],
  };
}

export interface DailySummaryService {
  /** The day's summary; today (local time) unless a YYYY-MM-DD is given. */
  summary(day?: string): Result<DailySummary, never>;
  print(day: string | undefined, actor: Actor): Promise<Result<{ outcome: PrintOutcome }, never>>;
}

export function createDailySummaryService(deps: {
  readonly store: Pick<Store, 'applications' | 'ratings'>;
  readonly config: KioskConfig;
  readonly catalogue: () => Catalogue;
  readonly printer: ReceiptPrinter;
  readonly now?: () => Date;
}): DailySummaryService {
  const now = deps.now ?? (() => new Date());
  return {
    summary: (day) => ok(dailySummary(deps.store, day ?? localDay(now()))),
    async print(day, actor) {
      const summary = dailySummary(deps.store, day ?? localDay(now()));
      const outcome = await deps.printer.print(
        {
          id: `summary:${summary.date}:${now().getTime()}`,
          document: summaryDocument(summary, deps.config, deps.catalogue(), localDateTime(now())),
        },
        { reprint: false },
      );
      actor.audit('staff.summary-printed', { date: summary.date, outcome });
      return ok({ outcome });
    },
  };
}
