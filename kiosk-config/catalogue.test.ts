import { describe, expect, it } from 'vitest';
import { embeddedCatalogue } from './catalogue';
import { catalogueSchema } from './catalogue-schema';

describe('embedded catalogue', () => {
  it('satisfies its schema (halls and categories referenced exist, codes unique)', () => {
    const parsed = catalogueSchema.safeParse(embeddedCatalogue);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it('holds at least six real services, including 高龄津贴申请 suggested for 80+', () => {
    expect(embeddedCatalogue.services.length).toBeGreaterThanOrEqual(6);
    const allowance = embeddedCatalogue.services.find((s) => s.name['zh-CN'] === '高龄津贴申请');
    expect(allowance?.suggestedFor?.minAge).toBe(80);
  });

  it('refuses a service that names an unknown hall', () => {
    const first = embeddedCatalogue.services[0];
    if (first === undefined) throw new Error('catalogue is empty');
    const broken = { ...embeddedCatalogue, services: [{ ...first, hallId: 'nowhere' }] };
    const parsed = catalogueSchema.safeParse(broken);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['services', 0, 'hallId']);
  });
});

describe('a way out for a villager without a phone', () => {
  it('refuses a required phone question that allows neither 没有手机 nor 填家里人的手机', () => {
    const first = embeddedCatalogue.services.find((s) => s.questions.some((q) => q.type === 'phone'));
    if (first === undefined) throw new Error('no service asks for a phone');
    const questions = first.questions.map((q) => (q.type === 'phone' ? { ...q, required: true, waysOut: [] } : q));
    const parsed = catalogueSchema.safeParse({ ...embeddedCatalogue, services: [{ ...first, questions }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path.at(-1)).toBe('waysOut');
  });

  it('every required phone question of the embedded catalogue allows one', () => {
    for (const service of embeddedCatalogue.services)
      for (const q of service.questions)
        if (q.type === 'phone' && q.required) expect(q.waysOut?.length, service.code).toBeGreaterThan(0);
  });
});
