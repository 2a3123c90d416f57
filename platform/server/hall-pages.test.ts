import { describe, expect, it } from 'vitest';
import { casePage } from './hall-pages';
import type { HallCase } from './receipt-check';

const chrome = { staff: { id: 1, name: '王敏', role: 'officer' }, csrf: '' };
const base: HallCase = {
  applicationId: '0b0c1d2e-3f40-4152-8364-758697a8b9ca',
  caseNumber: 'QS20261203-0001',
  localNumber: 'QSLX01-20261203-0001',
  terminalId: 'QSLX01',
  serviceCode: 'OLD-AGE-ALLOWANCE',
  status: 'submitted',
  receivedAt: '2026-12-03T06:00:00.000Z',
  applicant: { maskedName: '王*', maskedIdNumber: '110101********0011' },
  documents: [],
  signature: { kind: 'name' },
  remoteAssistance: null,
  history: [],
};
const page = (found: HallCase) => casePage(found, (code) => code, chrome);

describe('the hall’s case page', () => {
  it('says in plain words how the resident signed: their name, or a mark a member of staff witnessed', () => {
    expect(page(base)).toContain('<dt>签名</dt><dd data-signature="name">本人签名</dd>');
    const marked = page({ ...base, signature: { kind: 'mark', witnessStaffId: 'S-017' } });
    expect(marked).toContain('按手印/画押，工作人员 S-017 见证');
    // The staff id comes from a terminal: it is escaped like everything else on the page.
    expect(page({ ...base, signature: { kind: 'mark', witnessStaffId: '<b>' } })).toContain('工作人员 &lt;b&gt; 见证');
    const spoken = { kind: 'spoken', confirmedAt: '2026-12-03T09:30:00.000Z' } as const;
    expect(page({ ...base, signature: { ...spoken, witnessStaffId: null } })).toContain(
      '<dd data-signature="spoken">语音确认（本人看不见，听读后按确认键同意），无工作人员见证</dd>',
    );
    expect(page({ ...base, signature: { ...spoken, witnessStaffId: '<i>' } })).toContain('工作人员 &lt;i&gt; 见证');
    // After retention deleted the body, the page says nothing about it rather than guessing.
    expect(page({ ...base, signature: null })).not.toContain('<dt>签名</dt>');
  });

  it('names the officer who helped by video (远程帮办), escaped, and says nothing when nobody did', () => {
    expect(page(base)).not.toContain('远程帮办：');
    const helped = page({
      ...base,
      remoteAssistance: { officerId: 'li.na', callId: '5b0c1d2e-3f40-4152-8364-758697a8b9cb' },
    });
    expect(helped).toContain('远程帮办：li.na');
    expect(page({ ...base, remoteAssistance: { officerId: '<i>', callId: 'x' } })).toContain('远程帮办：&lt;i&gt;');
  });
});
