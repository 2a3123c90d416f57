/**
 * The words an identity card read is described in, from the ID-card driver that decodes them to the
 * screens and the platform's wire contract that carry them. Defined once here; the zod schemas of
 * both contracts are built from these lists.
 */
export const cardTypes = ['resident', 'foreign-permanent', 'hk-mo-tw-permit'] as const;
export type CardType = (typeof cardTypes)[number];

export const genders = ['male', 'female', 'unknown', 'unspecified'] as const;
export type Gender = (typeof genders)[number];

/** Why a read did not give a card: moved too soon, a garbled answer, a document the reader cannot read. */
export const readProblems = ['card-moved', 'bad-read', 'unsupported-card'] as const;
export type ReadProblemKind = (typeof readProblems)[number];
