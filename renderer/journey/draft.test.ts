import { describe, expect, it } from 'vitest';
import type { CardView } from '../../electron/api/journey-contract';
import { embeddedCatalogue } from '../../kiosk-config/catalogue';
import {
  applicantCard,
  newDraft,
  scrubDraft,
  representativeCard,
  stepsFor,
  suggestedFirst,
  updateDraft,
} from './draft';

const card = (age: number, id: string): CardView => ({
  cardType: 'resident',
  nameMasked: '张*',
  gender: 'male',
  birthDate: '1944-03-08',
  age,
  nation: '汉',
  address: '柳溪村',
  idNumberMasked: id,
  idNumberValid: true,
  expired: false,
});

describe('draft', () => {
  it('puts services suited to an 80-year-old first, 高龄津贴 at the top', () => {
    const ordered = suggestedFirst(embeddedCatalogue.services, card(82, '110105********0021'));
    expect(ordered[0]?.service.code).toBe('OLD-AGE-ALLOWANCE');
    expect(ordered[1]?.service.code).toBe('PENSION-CERT');
    expect(ordered.filter((o) => o.suggested)).toHaveLength(2);
    expect(suggestedFirst(embeddedCatalogue.services, card(40, 'x')).some((o) => o.suggested)).toBe(false);
  });

  it('knows who applies when acting for someone else', () => {
    let draft = updateDraft(newDraft(), { type: 'card', card: card(45, 'rep') });
    draft = updateDraft(draft, { type: 'card', card: card(45, 'rep') });
    expect(draft.cards).toHaveLength(1);
    draft = updateDraft(draft, { type: 'parties', parties: { mode: 'other', relationship: 'child' } });
    draft = updateDraft(draft, { type: 'card', card: card(84, 'elder') });
    expect(applicantCard(draft)?.idNumberMasked).toBe('elder');
    expect(representativeCard(draft)?.idNumberMasked).toBe('rep');
  });

  it('keeps who witnessed a mark (不会写字) with the signature, and forgets it when a name replaces the mark', () => {
    const marked = updateDraft(newDraft(), {
      type: 'signature',
      png: 'data:image/png;base64,AA',
      mark: { staffId: 'S-07' },
    });
    expect(marked.signatureMark).toEqual({ staffId: 'S-07' });
    const named = updateDraft(marked, { type: 'signature', png: 'data:image/png;base64,BB', mark: null });
    expect(named).toMatchObject({ signaturePng: 'data:image/png;base64,BB', signatureMark: null });
    const spoken = updateDraft(named, {
      type: 'signature',
      png: 'data:image/png;base64,CC',
      mark: null,
      spoken: { staffId: null },
    });
    expect(spoken).toMatchObject({ signatureMark: null, signatureSpoken: { staffId: null } });
    expect(
      updateDraft(spoken, { type: 'signature', png: 'data:image/png;base64,DD', mark: null }).signatureSpoken,
    ).toBeNull();
  });

  it('scrubs a draft in place without touching the next person’s', () => {
    const first = updateDraft(updateDraft(newDraft(), { type: 'card', card: card(82, 'x') }), {
      type: 'answer',
      questionId: 'phone',
      value: '13900001111',
    });
    const answers = first.answers;
    scrubDraft(first);
    expect(answers).toEqual({});
    expect(JSON.stringify(first)).not.toContain('13900001111');
    expect(newDraft().answers).toEqual({});
  });

  it('counts seven steps for a service with documents, six without', () => {
    const withDocs = embeddedCatalogue.services.find((s) => s.code === 'OLD-AGE-ALLOWANCE');
    const without = embeddedCatalogue.services.find((s) => s.code === 'PENSION-LEVEL');
    expect(withDocs && stepsFor(withDocs)).toHaveLength(7);
    expect(without && stepsFor(without)).toHaveLength(6);
  });
});
