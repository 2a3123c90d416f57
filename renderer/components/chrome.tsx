import type { ComponentChildren } from 'preact';
import { useI18n } from '../i18n/i18n';
import { useVoice, volumeStep } from '../voice/use-voice';

/**
 * The frame of every screen: the same controls in the same places, always (docs/ux.md: call staff
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

/** A speaker drawn as a picture (no emoji font is needed); struck through when voice is off. */
function SpeakerIcon({ on }: { on: boolean }) {
  return (
    <svg
      class="speaker-icon"
      viewBox="0 0 32 32"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      stroke-width="3"
      stroke-linecap="round"
      stroke-linejoin="round"
    >
      <path d="M4 12h6l8-6v20l-8-6H4z" fill="currentColor" />
      {on ? <path d="M22 11a7 7 0 0 1 0 10M25 7a12 12 0 0 1 0 18" /> : <path d="M22 12l8 8M30 12l-8 8" />}
    </svg>
  );
}

export function Chrome(props: ChromeProps) {
  const { t } = useI18n();
  const voice = useVoice();
  return (
    <div class="screen" data-screen={props.screenId}>
      <header class="top-bar">
        <span class="place">{props.placeName}</span>
        <button type="button" data-testid="language" aria-label={t('chrome.languageLabel')} onClick={props.onLanguage}>
          {t('chrome.language')}
        </button>
        <button
          type="button"
          class="voice-toggle"
          data-testid="voice-toggle"
          aria-pressed={voice.enabled}
          onClick={() => voice.setEnabled(!voice.enabled)}
        >
          <SpeakerIcon on={voice.enabled} /> {voice.enabled ? t('voice.on') : t('voice.off')}
        </button>
        <button type="button" data-testid="large-text" aria-pressed={props.largeText} onClick={props.onLargeText}>
          {props.largeText ? t('chrome.largeTextOn') : t('chrome.largeTextOff')}
        </button>
        <button type="button" class="staff" data-testid="call-staff" onClick={props.onCallStaff}>
          {t('chrome.callStaff')}
        </button>
      </header>
      {voice.enabled && (
        <div
          class="voice-bar"
          role="group"
          aria-label={t('voiceControl.volume', { percent: Math.round(voice.volume * 100) })}
        >
          <button type="button" data-testid="voice-repeat" onClick={() => voice.repeat()}>
            {t('voice.repeat')}
          </button>
          <button type="button" data-testid="voice-stop" onClick={() => voice.stop()}>
            {t('voice.stop')}
          </button>
          <button
            type="button"
            data-testid="voice-quieter"
            disabled={voice.volume <= 0}
            onClick={() => voice.setVolume(voice.volume - volumeStep)}
          >
            {t('voiceControl.quieter')}
          </button>
          <span class="voice-volume" data-testid="voice-volume">
            {t('voiceControl.volume', { percent: Math.round(voice.volume * 100) })}
          </span>
          <button
            type="button"
            data-testid="voice-louder"
            disabled={voice.volume >= 1}
            onClick={() => voice.setVolume(voice.volume + volumeStep)}
          >
            {t('voiceControl.louder')}
          </button>
        </div>
      )}
      {props.staffCalled && (
        <div class="banner" role="status">
          {t('chrome.staffCalled')}
        </div>
      )}
      <main class="content">{props.children}</main>
      {props.navigation !== false && (
        <footer class="bottom-bar">
          <button type="button" data-testid="back" onClick={props.onBack}>
            ← {t('chrome.back')}
          </button>
          <button type="button" data-testid="home" onClick={props.onHome}>
            {t('chrome.home')}
          </button>
          <span class="spacer" />
          {props.progress !== undefined && <span class="progress">{t('chrome.progress', props.progress)}</span>}
        </footer>
      )}
    </div>
  );
}
