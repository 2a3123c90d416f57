import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordingLog } from '../../foundation/log';
import { fakeDevices } from './fake-devices';
import type { FailureOf, MethodName, ParamsOf, ResultOf } from '../../electron/api/contract';
import type { AnswerValue, SubmitParams, SubmitResult } from '../../electron/api/journey-contract';
import { startKioskServices, type KioskServices } from '../../electron/services/kiosk-services';
import type { KioskConfig } from '../../kiosk-config/config-schema';
import { defaultConfig } from '../../kiosk-config/default-config';
import { testPins } from './provisioning';
import { decodedSampleCard } from './sample-id-cards';

/** Calling the services as the renderer does — through the JSON-RPC dispatcher — for integration tests. */
export const tinyPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
export const tinyJpeg = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  Buffer.alloc(200, 7),
  Buffer.from([0xff, 0xd9]),
]);

/** The default configuration with no devices at all: for tests about calls, not devices. */
export const noDevicesConfig: KioskConfig = {
  ...defaultConfig,
  devices: {
    ...defaultConfig.devices,
    idReader: { kind: 'none' },
    printer: { kind: 'none' },
    scanner: { kind: 'none' },
    keypad: { kind: 'none' },
  },
};

let nextId = 1;
export async function rpcCall<M extends MethodName>(
  services: KioskServices,
  method: M,
  params: ParamsOf<M> = {} as ParamsOf<M>,
): Promise<ResultOf<M>> {
  const response = await services.rpc.handle({ jsonrpc: '2.0', id: nextId++, method, params }, { transport: 'test' });
  if ('error' in response) throw new Error(`${method}: ${JSON.stringify(response.error)}`);
  return response.result as ResultOf<M>;
}

/** A call expected to be refused: answers the declared failure it was refused with. */
export async function rpcFailure<M extends MethodName>(
  services: KioskServices,
  method: M,
  params: ParamsOf<M> = {} as ParamsOf<M>,
): Promise<FailureOf<M>> {
  const response = await services.rpc.handle({ jsonrpc: '2.0', id: nextId++, method, params }, { transport: 'test' });
  if (!('error' in response) || response.error.data === undefined)
    throw new Error(`${method} was expected to be refused: ${JSON.stringify(response)}`);
  return response.error.data as FailureOf<M>;
}

/**
 * An 81-year-old's 高龄津贴 application with one photographed document, as the journey would send it
 * (the session started and the card read); `answers` replace the usual ones.
 */
export async function allowanceSubmission(
  services: KioskServices,
  answers: Record<string, AnswerValue> = {},
): Promise<SubmitParams> {
  await rpcCall(services, 'session.start');
  services.journey.cardRead(decodedSampleCard('resident-long-term'));
  const doc = await rpcCall(services, 'journey.attachDocument', {
    requirementId: 'household-register',
    jpegBase64: tinyJpeg.toString('base64'),
  });
  return {
    serviceCode: 'OLD-AGE-ALLOWANCE',
    parties: { mode: 'self' },
    answers: {
      phone: '13812345678',
      address: '柳溪村三组 8 号',
      'bank-account': '6222020200112233446',
      'payment-card': 'bank-card',
      'lives-alone': true,
      ...answers,
    },
    documents: [{ requirementId: 'household-register', sha256: doc.sha256 }],
    signaturePngBase64: tinyPng.toString('base64'),
    consent: { textVersion: 'consent-2026-12-v2', face: 'not-needed' },
  };
}

/** An 81-year-old applies for 高龄津贴 with one photographed document, as the journey would. */
export async function applyForAllowance(services: KioskServices): Promise<SubmitResult> {
  return rpcCall(services, 'journey.submit', await allowanceSubmission(services));
}

/**
 * The first-start setup with the test PINs, as the setup screen sends it (enrolling at a remote platform
 * with its code when given); then signed out, as after setup.
 */
export async function provisionServices(
  services: KioskServices,
  enrolment: { readonly platformUrl: string; readonly code: string } = { platformUrl: '', code: '' },
): Promise<void> {
  await rpcCall(services, 'setup.complete', {
    terminalName: services.config.terminal.name,
    servicePointName: services.config.servicePoint.name,
    ...enrolment,
    staffPin: testPins.staff,
    technicianPin: testPins.technician,
  });
  await rpcCall(services, 'staff.signOut');
}

/**
 * Kiosk services without devices in a temp data folder of their own, provisioned; `cleanups` (run in
 * reverse by the test's afterEach) closes them and removes the folder.
 */
export async function provisionedKioskInTempDir(
  prefix: string,
  cleanups: Array<() => Promise<void> | void>,
  config: KioskConfig = noDevicesConfig,
): Promise<{ services: KioskServices; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const started = await startKioskServices({
    config,
    dataDir,
    log: recordingLog(),
    createDevices: () => fakeDevices(),
  });
  if (!started.ok) throw new Error(started.error.message);
  cleanups.push(() => started.value.close());
  await provisionServices(started.value);
  return { services: started.value, dataDir };
}
