import type { ComponentChildren } from 'preact';
import { useI18n } from '../i18n/i18n';

/**
 * The frame of every screen: the same controls in the same places, always (UX.md: call staff
 * in one fixed place, back always works, language and text size on every screen).
 */
export interface ChromeProps {
  readonly screenId: string;
  readonly placeName: string;
  readonly largeText: boolean;
  readonly progress?: { step: number; total: number } | undefined;
  readonly onBack: () => void;
  readonly onHome: () => void;
  readonly onLanguage: () => void;
  readonly onLargeText: () => void;
  readonly onCallStaff: () => void;
  readonly staffCalled: boolean;
  readonly children: ComponentChildren;
  /** The idle screen has no Back/Home: there is nowhere to go back to. */
  readonly navigation?: boolean;
}

export function Chrome(props: ChromeProps) {
  const { t } = useI18n();
  return (
    <div class="screen" data-screen={props.screenId}>
      <header class="top-bar">
        <span class="place">{props.placeName}</span>
        <button type="button" data-testid="language" aria-label={t('chrome.languageLabel')} onClick={props.onLanguage}>
          {t('chrome.language')}
        </button>
        <button type="button" data-testid="large-text" aria-pressed={props.largeText} onClick={props.onLargeText}>
          {props.largeText ? t('chrome.largeTextOn') : t('chrome.largeTextOff')}
        </button>
        <button type="button" class="staff" data-testid="call-staff" onClick={props.onCallStaff}>
          {t('chrome.callStaff')}
        </button>
      </header>
      {props.staffCalled && (
        <div class="banner" role="status">
          {t('chrome.staffCalled')}
        </div>
      )}
      <main class="content">{props.children}</main>
      {props.navigation !== false && <footer class="bottom-bar">
        <button type="button" data-testid="back" onClick={props.onBack}>
          ← {t('chrome.back')}
        </button>
        <button type="button" data-testid="home" onClick={props.onHome}>
          {t('chrome.home')}
        </button>
        <span class="spacer" />
        {props.progress !== undefined && <span class="progress">{t('chrome.progress', props.progress)}</span>}
      </footer>}
    </div>
  );
}
