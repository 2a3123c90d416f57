import { Fragment } from 'preact';

/**
 * A service's name that never breaks inside a word: Chinese has no spaces, so the line may break
 * only where the catalogue marks a break (U+200B in the name) or, without marks, between the words
 * the browser's dictionary finds (Intl.Segmenter); `word-break: keep-all` forbids every other break.
 */
export function breakPoints(name: string, language: string): string[] {
  if (name.includes('\u200b')) return name.split('\u200b').filter((part) => part !== '');
  if (typeof Intl.Segmenter !== 'function') return [name];
  const words = [...new Intl.Segmenter(language, { granularity: 'word' }).segment(name)].map((s) => s.segment);
  return words.length === 0 ? [name] : words;
}

export function ServiceName({ name, language = 'zh-CN' }: { name: string; language?: string }) {
  const parts = breakPoints(name, language);
  return (
    <span class="service-name-text" data-service-name={parts.join('\u200b')}>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {part}
        </Fragment>
      ))}
    </span>
  );
}
