/**
 * A kiosk process for the crash test: it submits applications as fast as it can and prints
 * `SAVED <marker> <applicationId>` the moment submit returns — the moment a resident would be told
 * "saved". The parent kills it with SIGKILL at random moments. Run with `--drain` it submits
 * nothing and exits once the outbox is empty (`DONE 0`) or something in it failed for good.
 */
import { defaultConfig } from '../../kiosk-config/default-config';
import { silentLog } from '../../foundation/log';
import { startKioskServices } from '../../electron/services/kiosk-services';
import { decodedSampleCard } from './sample-id-cards';

const [dataDir, platformUrl, markerBase, mode] = process.argv.slice(2);
if (dataDir === undefined || platformUrl === undefined || markerBase === undefined)
  throw new Error('usage: crash-child DATA URL MARKER [--drain]');

const signature = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const config = { ...defaultConfig, platform: { mode: 'remote' as const, url: platformUrl, requestTimeoutSeconds: 5 } };
const started = await startKioskServices({ config, dataDir, log: silentLog, caseNumberWaitMs: 0 });
if (!started.ok) throw new Error(started.error.message);
const services = started.value;
process.stdout.write('READY\n');

if (mode === '--drain') {
  // Sends what the killed runs left; an item waiting for a retry is sent by the worker's own timer,
  // and its application's submitted (or failed) event is what we wait for next.
  const nextEvent = () =>
    new Promise<void>((resolve) => {
      const stop = services.outbox.subscribe(() => {
        stop();
        resolve();
      });
    });
  for (;;) {
    const event = nextEvent();
    await services.outbox.drain();
    const { depth, failed } = services.outbox.status();
    if (depth === 0 || failed > 0) break;
    await event;
  }
  process.stdout.write(`DONE ${services.outbox.status().depth}\n`);
  await services.close();
  process.exit(0);
}

const card = decodedSampleCard('resident-young');
for (let i = 0; ; i++) {
  const marker = `${markerBase}${String(i).padStart(4, '0')}`;
  services.sessions.start();
  services.journey.cardRead(card);
  const result = await services.journey.submit({
    serviceCode: 'PENSION-LEVEL',
    parties: { mode: 'self' },
    answers: { level: '500', collection: 'social-security-card', phone: marker },
    documents: [],
    signaturePngBase64: signature,
    consent: { textVersion: 'crash-test', face: 'not-needed' },
  });
  if (!result.ok) throw new Error(result.error.message);
  process.stdout.write(`SAVED ${marker} ${result.value.applicationId}\n`);
  services.sessions.end('finished');
}
