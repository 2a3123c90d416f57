import { z } from 'zod';
import { documentTypes } from '../foundation/document-types';

/**
 * The service catalogue as data (docs/platform-contract.md: "the catalogue is data"). The platform serves it
 * with an ETag; the terminal caches the last good copy. Every text is given in every language.
 */
export const localizedSchema = z.strictObject({ 'zh-CN': z.string().min(1), en: z.string().min(1) });
export type Localized = z.infer<typeof localizedSchema>;

const id = z.string().regex(/^[a-z0-9-]{2,40}$/);

/** Values the ID card answers, so the resident never types them again. */
export const prefillSourceSchema = z.enum([
  'card.name',
  'card.gender',
  'card.birthDate',
  'card.age',
  'card.address',
  'card.idNumber',
  'card.nation',
]);
export type PrefillSource = z.infer<typeof prefillSourceSchema>;

export const phoneWayOutSchema = z.enum(['no-phone', 'family-phone']);
export type PhoneWayOut = z.infer<typeof phoneWayOutSchema>;

const questionBase = {
  id,
  label: localizedSchema,
  help: localizedSchema.optional(),
  required: z.boolean(),
  prefill: prefillSourceSchema.optional(),
};

export const questionSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...questionBase,
    type: z.literal('choice'),
    options: z
      .array(z.strictObject({ value: id, label: localizedSchema }))
      .min(2)
      .max(6),
  }),
  z.strictObject({ ...questionBase, type: z.literal('yes-no') }),
  z.strictObject({
    ...questionBase,
    type: z.literal('number'),
    min: z.number(),
    max: z.number(),
    integer: z.boolean(),
    unit: localizedSchema.optional(),
  }),
  z.strictObject({
    ...questionBase,
    type: z.literal('phone'),
    /**
     * The ways a resident without a mobile can still answer (kiosk-config/answer-rules.ts): 没有手机,
     * or 填家里人的手机. A required phone question must allow at least one.
     */
    waysOut: z.array(phoneWayOutSchema).max(2).optional(),
  }),
  z.strictObject({ ...questionBase, type: z.literal('date'), notAfterToday: z.boolean() }),
  z.strictObject({ ...questionBase, type: z.literal('bank-account') }),
  /**
   * A certificate's number typed on the keypad, like an ID number: `length` characters, digits but
   * for an X allowed at position `xAt` (1-based), e.g. a disability certificate: 18 + 2, X at 18.
   */
  z.strictObject({
    ...questionBase,
    type: z.literal('certificate-number'),
    length: z.int().min(4).max(30),
    xAt: z.int().min(1).max(30).optional(),
  }),
  z.strictObject({ ...questionBase, type: z.literal('text'), maxLength: z.number().int().min(1).max(200) }),
  z.strictObject({ ...questionBase, type: z.literal('address') }),
  /** 村民小组: picked from the service point's list (config `servicePoint.villageGroups`), never written. */
  z.strictObject({ ...questionBase, type: z.literal('village-group') }),
]);
export type Question = z.infer<typeof questionSchema>;
export type QuestionType = Question['type'];

export const documentRequirementSchema = z.strictObject({
  id,
  label: localizedSchema,
  hint: localizedSchema,
  required: z.boolean(),
  /** `face` is biometric: it needs its own consent and offers a staff check instead. */
  kind: z.enum(['document', 'face']),
});
export type DocumentRequirement = z.infer<typeof documentRequirementSchema>;

export const hallSchema = z.strictObject({
  id,
  name: localizedSchema,
  address: localizedSchema,
  hours: localizedSchema,
  phone: z.string().min(5).max(20),
});
export type Hall = z.infer<typeof hallSchema>;

export const iconSchema = z.enum(['pension', 'medical', 'elderly', 'farm', 'disability', 'certificate', 'social']);
export type IconName = z.infer<typeof iconSchema>;

export const categorySchema = z.strictObject({
  id,
  name: localizedSchema,
  description: localizedSchema,
  icon: iconSchema,
});
export type Category = z.infer<typeof categorySchema>;

export const serviceSchema = z.strictObject({
  /** Stable code the platform knows the service by. */
  code: z.string().regex(/^[A-Z0-9-]{3,30}$/),
  categoryId: id,
  icon: iconSchema,
  name: localizedSchema,
  summary: localizedSchema,
  notice: z.strictObject({
    purpose: localizedSchema,
    whoCanApply: localizedSchema,
    needed: z.array(localizedSchema),
    duration: localizedSchema,
    afterwards: localizedSchema,
  }),
  /** Materials the resident still brings to the hall (printed on the receipt). */
  materialsToBring: z.array(localizedSchema),
  /** Highlighted for people this suits once the card is read (e.g. 80+ for 高龄津贴). */
  suggestedFor: z.strictObject({ minAge: z.number().int().min(0).max(130) }).optional(),
  /** Higher first on lists: most-used services first. */
  popularity: z.number().int().min(0).max(100),
  hallId: id,
  questions: z.array(questionSchema),
  documents: z.array(documentRequirementSchema),
  /**
   * Present on a document service (查询打印): the platform issues the proof at once and the terminal
   * prints it on A4, instead of an application (questions, photos, receipt). `months`: the periods
   * the resident may choose for a record; one entry means no choice is asked.
   */
  document: z
    .strictObject({ type: z.enum(documentTypes), months: z.array(z.int().min(1).max(36)).min(1).max(4) })
    .optional(),
});
export type Service = z.infer<typeof serviceSchema>;

export const catalogueSchema = z
  .strictObject({
    version: z.string().min(1),
    halls: z.array(hallSchema).min(1),
    categories: z.array(categorySchema).min(1),
    services: z.array(serviceSchema).min(1),
  })
  .superRefine((catalogue, ctx) => {
    const halls = new Set(catalogue.halls.map((h) => h.id));
    const categories = new Set(catalogue.categories.map((c) => c.id));
    const codes = new Set<string>();
    catalogue.services.forEach((service, i) => {
      if (!halls.has(service.hallId))
        ctx.addIssue({ code: 'custom', path: ['services', i, 'hallId'], message: `unknown hall ${service.hallId}` });
      if (!categories.has(service.categoryId))
        ctx.addIssue({
          code: 'custom',
          path: ['services', i, 'categoryId'],
          message: `unknown category ${service.categoryId}`,
        });
      if (codes.has(service.code))
        ctx.addIssue({ code: 'custom', path: ['services', i, 'code'], message: `duplicate code ${service.code}` });
      codes.add(service.code);
      const questionIds = new Set<string>();
      service.questions.forEach((q, j) => {
        if (questionIds.has(q.id))
          ctx.addIssue({
            code: 'custom',
            path: ['services', i, 'questions', j, 'id'],
            message: `duplicate question ${q.id}`,
          });
        questionIds.add(q.id);
        // A villager without a mobile must never meet a question they cannot get past.
        if (q.type === 'phone' && q.required && (q.waysOut ?? []).length === 0)
          ctx.addIssue({
            code: 'custom',
            path: ['services', i, 'questions', j, 'waysOut'],
            message: `required phone question ${q.id} allows no way out for someone without a phone`,
          });
      });
    });
  });
export type Catalogue = z.infer<typeof catalogueSchema>;
