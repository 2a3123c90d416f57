import { err, ok } from '../../../foundation/result';
import type { documentMethods } from '../../api/document-contract';
import type { Handlers } from '../../api/rpc-server';
import type { DocumentService } from './document-service';
import { pdfPageImage } from './pdf-page-image';

/** The documents' part of the contract (api/document-contract.ts), answered by the document service. */
export type DocumentHandlers = Pick<Handlers, keyof typeof documentMethods>;

export function createDocumentHandlers(documents: DocumentService): DocumentHandlers {
  return {
    'document.printerState': async () => ok({ state: (await documents.printerState()).state }),
    'document.request': ({ type, months }) => documents.request(type, months),
    'document.page': async ({ documentNumber, page }) => {
      const pdf = documents.pdf(documentNumber);
      if (!pdf.ok) return pdf;
      const png = await pdfPageImage(pdf.value, page);
      return png.ok ? ok({ pngBase64: png.value.toString('base64') }) : err({ kind: 'no-page', message: png.error });
    },
    'document.print': ({ documentNumber }) => documents.print(documentNumber),
  };
}
