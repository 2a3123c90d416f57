/**
 * Test data and a ready store for tests of the store and the outbox. The resident is invented but
 * realistic, so tests can search raw database bytes for exactly these strings.
 */
import { randomBytes } from 'node:crypto';
import { silentLog } from '../../../foundation/log';
import type { CardFields } from '../outbox/platform-port';
import type { NewApplication } from './application-repository';
import { manualClock, type Clock } from '../../../foundation/clock';
import { staticKeyProvider } from '../../../foundation/key-provider';
import { openStore, type Store } from './store';

export const sampleApplicant: CardFields = {
  cardType: 'resident',
  name: '张三丰',
  gender: 'male',
  nation: '汉',
  birthDate: '19491231',
  address: '北京市朝阳区青石村幸福路88号',
  idNumber: '110105194912310021',
  issuingAuthority: '北京市公安局朝阳分局',
  validFrom: '20100101',
  validUntil: '长期',
};

export const sampleRepresentative: CardFields = {
  cardType: 'resident',
  name: '李秀英',
  gender: 'female',
  nation: '汉',
  birthDate: '19750608',
  idNumber: '110105197506080046',
};

/** Plain strings that must never appear in the database files. */
export const personalStrings = [
  sampleApplicant.name,
  sampleApplicant.idNumber,
  sampleApplicant.address ?? '',
  '13912345678',
  '6222020200112233445',
  sampleRepresentative.name,
];

export function sampleApplication(overrides: Partial<NewApplication> = {}): NewApplication {
  return {
    serviceCode: 'elderly-allowance',
    applicant: sampleApplicant,
    // Also answers PENSION-CERT's question, the service tests that send it to the platform use.
    answers: {
      phone: '13912345678',
      'bank-account': '6222020200112233445',
      address: sampleApplicant.address,
      'living-at-address': true,
    },
    attachments: [
      {
        bytes: Buffer.concat([Buffer.from('household register page '), randomBytes(64)]),
        mime: 'image/jpeg',
        label: '户口本首页',
      },
      { bytes: Buffer.concat([Buffer.from('bank card '), randomBytes(64)]), mime: 'image/jpeg', label: '银行卡' },
    ],
    signature: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), randomBytes(32)]),
    consent: { accepted: true, textVersion: 'consent-2026-1', at: '2026-11-24T08:00:00.000Z' },
    ...overrides,
  };
}

export const testKey = Buffer.alloc(32, 7);

export type ManualClock = ReturnType<typeof manualClock>;

export function openTestStore(dataDir?: string): { store: Store; clock: ManualClock };
export function openTestStore<C extends Clock>(
  dataDir: string,
  clock: C | undefined,
  terminalId?: string,
): { store: Store; clock: C | ManualClock };
export function openTestStore(
  dataDir = ':memory:',
  clock: Clock = manualClock(),
  terminalId = 'QS-0001',
): { store: Store; clock: Clock } {
  const opened = openStore({
    dataDir,
    keyProvider: staticKeyProvider(testKey),
    terminalId,
    terminalCode: 'QS01',
    clock,
    log: silentLog,
  });
  if (!opened.ok) throw new Error(`test store did not open: ${JSON.stringify(opened.error)}`);
  return { store: opened.value, clock };
}
