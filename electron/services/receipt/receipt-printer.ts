import type { ReceiptDocument } from '../../../drivers/receipt/receipt-model';
import type { PrintOutcome } from '../../api/journey-contract';

/**
 * The receipt printer as the receipt service and the staff's daily summary use it. The device
 * manager hands one over when the kiosk starts; it prints on whichever printer is attached at the
 * time (a technician may move it to another link) and answers 'no-printer' when none is.
 */
export interface ReceiptPrinter {
  print(
    job: { readonly id: string; readonly document: ReceiptDocument },
    options: { reprint: boolean },
  ): Promise<PrintOutcome>;
}
