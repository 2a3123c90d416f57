import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Localized } from '../../kiosk-config/catalogue-schema';
import type { Language } from '../../kiosk-config/config-schema';
import { enMessages } from './messages-en';
import { zhMessages, type MessageKey } from './messages-zh';

/** Message catalogues by language; adding a language means adding a catalogue here. */
const catalogues: Record<Language, Record<MessageKey, string>> = { 'zh-CN': zhMessages, en: enMessages };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(language: Language): Translate {
  const messages = catalogues[language];
  return (key, vars) =>
    messages[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      vars !== undefined && name in vars ? String(vars[name]) : whole,
    );
}

export interface I18n {
  readonly language: Language;
  readonly t: Translate;
  /** Picks the catalogue text (services, questions) in the current language. */
  readonly l: (text: Localized) => string;
}

export function makeI18n(language: Language): I18n {
  return { language, t: translator(language), l: (text) => text[language] };
}

export const I18nContext = createContext<I18n>(makeI18n('zh-CN'));
export const useI18n = (): I18n => useContext(I18nContext);
