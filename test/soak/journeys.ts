import { createCanvas } from '@napi-rs/canvas';
import type { Page } from 'playwright-core';
import type { SampleCardName } from '../../drivers/id-card/sample-cards';
import { service, type JourneyDriver } from '../support/journey-driver';
import { testPins } from '../support/provisioning';
import { sampleAnswer } from '../support/sample-answers';
import type { RpcClient } from './rpc-client';

/**
 * The residents of a soak run. Journey i follows plan(i): a cycle of ten that mixes services,
 * languages, text sizes, a walk-away mid-journey, an offline spell, a paper-out with the resident's
 * reprint, a rating, and (through the API) a staff reprint. Every kind of journey has run once by the
 * end of the first cycle, which is why the renderer's baseline is taken there (docs/soak.md).
 */
export interface JourneyPlan {
  readonly service: string;
  readonly card: SampleCardName;
  readonly english: boolean;
  readonly largeText: boolean;
  readonly walkAway: boolean;
  readonly offline: boolean;
  readonly paperOut: boolean;
  readonly rating: boolean;
  readonly staffReprint: boolean;
}

export const cycleLength = 10;

const base: JourneyPlan = {
  service: 'PENSION-LEVEL',
  card: 'resident-young',
  english: false,
  largeText: false,
  walkAway: false,
  offline: false,
  paperOut: false,
  rating: false,
  staffReprint: false,
};

// Each plan's card differs from the one before (the cycle wraps too): the next resident's card replaces
// the last one on the reader, which the reader sees as a removal and a new card, so a journey need not
// wait out the reader's removal probes. The walk-aways lift their card for real.
const cycle: readonly JourneyPlan[] = [
  base,
  { ...base, service: 'PENSION-CERT', card: 'resident-long-term', english: true },
  { ...base, card: 'resident-rare-char', paperOut: true },
  { ...base, service: 'OLD-AGE-ALLOWANCE', card: 'resident-long-term', largeText: true },
  { ...base, english: true, largeText: true, rating: true },
  { ...base, service: 'OLD-AGE-ALLOWANCE', card: 'resident-long-term', walkAway: true },
  { ...base, card: 'resident-rare-char', offline: true },
  { ...base, service: 'PENSION-CERT', card: 'resident-long-term', staffReprint: true },
  { ...base, card: 'resident-rare-char', english: true, rating: true },
  { ...base, service: 'OLD-AGE-ALLOWANCE', card: 'resident-long-term', english: true, largeText: true },
];

export function plan(index: number): JourneyPlan {
  return cycle[index % cycle.length] ?? base;
}

/** One resident in Chromium, taps only, from placing the card to the idle screen with the card lifted. */
export async function chromiumJourney(
  driver: JourneyDriver,
  page: Page,
  journey: JourneyPlan,
  idleTimeoutMs: number,
): Promise<void> {
  const target = service(journey.service);
  await driver.insertCard(journey.card);
  await driver.waitScreen('categories');
  if (journey.english) await driver.tap('language');
  if (journey.largeText) await driver.tap('large-text');
  await driver.tap(`category-${target.categoryId}`);
  await driver.tap(`service-${journey.service}`);
  await driver.waitScreen(`notice:${journey.service}`);
  if (journey.walkAway) {
    await driver.tap('notice-start');
    await driver.waitScreen('identify:');
    await driver.tap('next');
    await driver.waitScreen('parties:');
    await driver.tap('parties-self');
    await driver.waitScreen(`question:${journey.service}:0`);
    // The resident leaves: the page's clock runs past the warning and the timeout.
    await page.clock.runFor(idleTimeoutMs + 5_000);
    await driver.waitScreen('idle');
    await driver.takeCardAway();
    return;
  }
  await driver.fillApplication(target, { face: 'granted' });
  if (journey.offline) await driver.dock('/dock/platform/stop');
  if (journey.paperOut) await driver.dock('/dock/printer/state', { paper: 'out' });
  try {
    await driver.submit();
    if (journey.paperOut) {
      await driver.waitPrint('paper-out');
      await driver.dock('/dock/printer/state', { paper: 'ok' });
      await driver.tap('reprint');
    }
    await driver.waitPrint('printed');
  } finally {
    if (journey.offline) await driver.dock('/dock/platform/start');
  }
  await driver.tap('next');
  if (journey.rating) await driver.tap('rating-5');
  else await driver.tap('rating-skip');
  await driver.tap('goodbye-done');
  await driver.waitScreen('idle');
}

/** A photo-sized JPEG (about the camera's), made once; each journey's copy differs in its last bytes. */
let photo: Buffer | undefined;
function photoFor(index: number): string {
  if (photo === undefined) {
    const canvas = createCanvas(1280, 960);
    const context = canvas.getContext('2d');
    for (let i = 0; i < 4000; i++) {
      context.fillStyle = `hsl(${(i * 37) % 360} 60% ${30 + (i % 50)}%)`;
      context.fillRect((i * 97) % 1280, (i * 53) % 960, 24 + (i % 40), 18 + (i % 30));
    }
    photo = canvas.toBuffer('image/jpeg', 80);
  }
  // Bytes after the end-of-image marker are ignored by decoders: a distinct document each time.
  return Buffer.concat([photo, Buffer.from(`soak-${index}`)]).toString('base64');
}

const signature = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/** The answers each planned service takes through the API (what the renderer would send). */
function answersFor(code: string): Record<string, string | number | boolean> {
  return Object.fromEntries(service(code).questions.map((question) => [question.id, sampleAnswer(question)]));
}

/** What an API journey needs besides the socket: the dock, as the Chromium journeys use it. */
export interface Dock {
  dock(path: string, body?: unknown, method?: string): Promise<unknown>;
}

/**
 * One resident through the same calls the renderer makes, on the bridge's socket: the card read
 * (notification), the cards, each document photo, submit, print, rating, the session's end, and the
 * card lifted (notification). A walk-away ends the session as the page's timeout does.
 */
export async function apiJourney(rpc: RpcClient, dock: Dock, journey: JourneyPlan, index: number): Promise<void> {
  const target = service(journey.service);
  const read = rpc.next('card.read');
  await dock.dock('/dock/id-reader/card', { name: journey.card });
  await read;
  await rpc.call('journey.cards');
  const documents: Array<{ requirementId: string; sha256: string }> = [];
  for (const requirement of target.documents) {
    const attached = await rpc.call<{ sha256: string }>('journey.attachDocument', {
      requirementId: requirement.id,
      jpegBase64: photoFor(index * 10 + documents.length),
    });
    documents.push({ requirementId: requirement.id, sha256: attached.sha256 });
  }
  const ended = async (reason: 'timeout' | 'finished') => {
    await rpc.call('session.end', { reason });
    if (reason === 'finished') return; // the next resident's card replaces this one
    const removed = rpc.next('card.removed');
    await dock.dock('/dock/id-reader/card', undefined, 'DELETE');
    await removed;
  };
  if (journey.walkAway) return ended('timeout');
  if (journey.offline) await dock.dock('/dock/platform/stop');
  if (journey.paperOut) await dock.dock('/dock/printer/state', { paper: 'out' });
  try {
    const submitted = await rpc.call<{ applicationId: string }>('journey.submit', {
      serviceCode: journey.service,
      parties: { mode: 'self' },
      answers: answersFor(journey.service),
      documents,
      signaturePngBase64: signature,
      consent: {
        textVersion: 'consent-2026-12-v2',
        face: target.documents.some((d) => d.kind === 'face') ? 'granted' : 'not-needed',
      },
    });
    const { applicationId } = submitted;
    const first = await rpc.call<{ outcome: string }>('receipt.print', { applicationId, reprint: false });
    if (journey.paperOut) {
      if (first.outcome !== 'paper-out') throw new Error(`expected paper-out, printed ${first.outcome}`);
      await dock.dock('/dock/printer/state', { paper: 'ok' });
      await expectPrinted(rpc.call('receipt.print', { applicationId, reprint: true }));
    } else if (first.outcome !== 'printed') throw new Error(`receipt not printed: ${first.outcome}`);
    if (journey.rating) await rpc.call('rating.submit', { applicationId, level: 5, reasons: [] });
    if (journey.staffReprint) {
      // Staff come over and reprint it from the send queue (补打), then sign out.
      await rpc.call('staff.signIn', { pin: testPins.staff });
      await expectPrinted(rpc.call('staff.reprint', { applicationId }));
      await rpc.call('staff.signOut');
    }
  } finally {
    if (journey.offline) await dock.dock('/dock/platform/start');
  }
  return ended('finished');
}

async function expectPrinted(call: Promise<unknown>): Promise<void> {
  const { outcome } = (await call) as { outcome: string };
  if (outcome !== 'printed') throw new Error(`reprint: ${outcome}`);
}
