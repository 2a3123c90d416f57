import { err, ok } from '../../../foundation/result';
import type { journeyMethods } from '../../api/journey-contract';
import type { Handlers } from '../../api/rpc-server';
import type { ReceiptService } from '../receipt/receipt-service';
import type { JourneyService } from './journey-service';

/** The journey's part of the contract (api/journey-contract.ts), answered by the journey and the receipt service. */
export type JourneyHandlers = Pick<Handlers, keyof typeof journeyMethods>;

/** Staff helping a resident (帮办): the helper recorded with the application, and told when it is saved. */
export interface AssistedSubmission {
  helperForSubmission(): { staffId: string } | undefined;
  submitted(): void;
}

export function createJourneyHandlers(deps: {
  readonly journey: JourneyService;
  readonly receipts: Pick<ReceiptService, 'print'>;
  readonly assist: AssistedSubmission;
}): JourneyHandlers {
  const { journey, receipts, assist } = deps;
  return {
    'journey.cards': () => journey.cards(),
    'journey.attachDocument': ({ requirementId, jpegBase64 }) =>
      journey.attachDocument(requirementId, Buffer.from(jpegBase64, 'base64')),
    'journey.submit': async (params) => {
      const submitted = await journey.submit(params, assist.helperForSubmission());
      if (submitted.ok) assist.submitted();
      return submitted;
    },
    // A resident prints only the receipt of what this session submitted; staff reprint through staff.reprint.
    'receipt.print': ({ applicationId, reprint }) =>
      journey.submittedInThisSession(applicationId)
        ? receipts.print(applicationId, { reprint, actor: 'resident' })
        : err({ kind: 'not-found', message: 'not an application of this session' }),
    'rating.submit': ({ applicationId, level, reasons }) => journey.rate(applicationId, level, reasons),
    'progress.lookup': async (query) => ok(await journey.lookup(query)),
    'progress.byCard': () => journey.lookupByCard(),
  };
}
