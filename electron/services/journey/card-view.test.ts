import { describe, expect, it } from 'vitest';
import type { ForeignPermanentCard, HkMoTwPermitCard, ResidentIdCard } from '../../../drivers/id-card/id-card-text';
import { ageOn, cardAnswer, cardFields, cardView } from './card-view';

/** Decoded cards of fake people, one of each supported type, for the card-view tests. */
const cardCore = {
  name: '王建国',
  gender: 'male' as const,
  birthDate: '1944-03-15',
  idNumber: '110105194403150136',
  idNumberValid: true,
  issuer: '北京市公安局朝阳分局',
  validFrom: '2010-06-01',
  validUntil: 'long-term',
};

const cardStubs: { resident: ResidentIdCard; foreign: ForeignPermanentCard; permit: HkMoTwPermitCard } = {
  resident: {
    ...cardCore,
    cardType: 'resident',
    nation: '汉',
    nationCode: '01',
    address: '北京市朝阳区幸福村东街12号',
  },
  foreign: {
    ...cardCore,
    cardType: 'foreign-permanent',
    name: '约翰',
    englishName: 'SMITH JOHN',
    nationality: 'GBR',
    nation: null,
    nationCode: null,
    address: null,
    idNumber: 'GBR440315000001',
  },
  permit: {
    ...cardCore,
    cardType: 'hk-mo-tw-permit',
    nation: null,
    nationCode: null,
    address: '广东省深圳市福田区',
    passNumber: 'H12345678',
    issueCount: 1,
    idNumber: '810000199001011234',
  },
};

describe('card view', () => {
  it('counts whole years, a birthday counting from its day', () => {
    expect(ageOn('1944-03-15', '2026-03-14')).toBe(81);
    expect(ageOn('1944-03-15', '2026-03-15')).toBe(82);
    expect(ageOn('2030-01-01', '2026-01-01')).toBe(0);
  });

  it('masks name and ID number for the screen, keeps the address whole, and knows an expired card', () => {
    const view = cardView(cardStubs.resident, '2026-11-24');
    expect(view).toMatchObject({
      nameMasked: '王**',
      idNumberMasked: '110105********0136',
      address: '北京市朝阳区幸福村东街12号',
      age: 82,
      expired: false,
    });
    expect(cardView({ ...cardStubs.resident, validUntil: '2020-01-01' }, '2026-11-24').expired).toBe(true);
    expect(JSON.stringify(view)).not.toContain(cardCore.name);
  });

  it('keeps each card type’s own fields for the application record', () => {
    expect(cardFields(cardStubs.resident)).toMatchObject({
      cardType: 'resident',
      birthDate: '19440315',
      nation: '汉',
      address: '北京市朝阳区幸福村东街12号',
    });
    expect(cardFields(cardStubs.foreign)).toMatchObject({
      cardType: 'foreign-permanent',
      englishName: 'SMITH JOHN',
      nationality: 'GBR',
    });
    expect(cardFields(cardStubs.foreign)).not.toHaveProperty('address');
    expect(cardFields(cardStubs.permit)).toMatchObject({ cardType: 'hk-mo-tw-permit', passNumber: 'H12345678' });
  });

  it('answers prefilled questions the resident cannot edit, and leaves the address to them', () => {
    expect(cardAnswer(cardStubs.resident, 'card.name', '2026-11-24')).toBe('王建国');
    expect(cardAnswer(cardStubs.resident, 'card.age', '2026-11-24')).toBe(82);
    expect(cardAnswer(cardStubs.resident, 'card.address', '2026-11-24')).toBeUndefined();
  });
});
