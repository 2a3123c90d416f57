/**
 * The proofs and records a terminal prints at once on A4 (查询打印), by the names the platform
 * contract, the catalogue and the kiosk's calls share.
 */
export const documentTypes = [
  'social-insurance-contributions',
  'pension-payments',
  'medical-insurance-enrolment',
] as const;
export type DocumentType = (typeof documentTypes)[number];
