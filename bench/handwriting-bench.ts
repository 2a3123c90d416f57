import { gzipSync } from 'node:zlib';
import { decodeTemplateSet } from '../renderer/components/inputs/handwriting/template-set';
import {
  createRecogniser,
  defaultTuning,
  type RecogniserTuning,
} from '../renderer/components/inputs/handwriting/recogniser';
import { seededRandom, writeCharacter } from '../renderer/components/inputs/handwriting/synthetic-writing';
import { readTemplates, templateSetBytes } from '../vite-plugins/handwriting-templates';
import { figure, ms, section, summarize } from './stats';

/**
 * Issue 12's handwriting figures: every one of the 3,500 common characters written once from its
 * stroke data (hanzi-writer-data's medians as they are) with the realistic noise model (seeded, so
 * runs compare), recognised against the 3,500 templates as the terminal ships them; top-1 and
 * top-5 accuracy and the latency of one recognition on one core of this machine.
 */
export const benchSeed = 20261202;

export interface HandwritingFigures {
  readonly characters: number;
  readonly top1: number;
  readonly top5: number;
  readonly latencies: number[];
}

export function measureHandwriting(
  options: { sample?: number; seed?: number; tuning?: RecogniserTuning } = {},
): HandwritingFigures & { loadMs: number; bytes: Uint8Array } {
  // Written from the original medians, recognised against the shipped (simplified, byte-grid) set.
  const originals = readTemplates();
  const bytes = templateSetBytes(originals);
  const loadStart = performance.now();
  const decoded = decodeTemplateSet(bytes);
  if (!decoded.ok) throw new Error(`template set: ${decoded.error}`);
  const templates = decoded.value;
  const recogniser = createRecogniser(templates, options.tuning ?? defaultTuning);
  const loadMs = performance.now() - loadStart;
  const random = seededRandom(options.seed ?? benchSeed);
  const step = options.sample === undefined ? 1 : Math.max(1, Math.floor(templates.length / options.sample));
  let top1 = 0;
  let top5 = 0;
  const latencies: number[] = [];
  for (let i = 0; i < originals.length; i += step) {
    const template = originals[i];
    if (template === undefined) continue;
    const ink = writeCharacter(template, random);
    const start = performance.now();
    const candidates = recogniser.recognise(ink, 5);
    latencies.push(performance.now() - start);
    const rank = candidates.findIndex((c) => c.character === template.character);
    if (rank === 0) top1++;
    if (rank >= 0 && rank < 5) top5++;
  }
  return { characters: latencies.length, top1, top5, latencies, loadMs, bytes };
}

const percent = (n: number, of: number) => `${((100 * n) / of).toFixed(1)} %`;

export function benchHandwriting(options: { sample?: number }): void {
  section('Handwriting recognition (issue 12)');
  const result = measureHandwriting(options);
  const s = summarize(result.latencies);
  console.log(
    `handwriting top-5 accuracy: ${percent(result.top5, result.characters)} (${result.characters} characters), p95 ${ms(s.p95)}`,
  );
  figure('handwriting top-1 accuracy', percent(result.top1, result.characters));
  figure('handwriting top-5 accuracy', percent(result.top5, result.characters), {
    met: result.top5 / result.characters >= 0.9,
    text: '≥ 90 %',
  });
  figure(
    'recognition per character (one core of this machine)',
    `p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, p99 ${ms(s.p99)}`,
  );
  figure('template set: decode + prepare 3,500 characters', ms(result.loadMs));
  figure(
    'template set chunk, gzipped',
    `${(gzipSync(Buffer.from(Buffer.from(result.bytes).toString('base64'))).length / 1024).toFixed(0)} KB`,
  );
}
