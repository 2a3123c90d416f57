import type { ComponentChildren } from 'preact';
import { useI18n } from '../i18n/i18n';
import { VoiceControls } from '../voice/voice-controls';

/**
 * The frame of every screen: the same controls in the same places, always (docs/ux.md: call staff
 * in one fixed place at the bottom right, back always works, language, text size and voice in the
 * header). Between them the screen's body with its action bar (screen-body.tsx).
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
  /** The service point's phone, shown once staff were called (someone may be out on a visit); '' none. */
  readonly servicePointPhone: string;
  readonly children: ComponentChildren;
  /** Offered once to a resident of 60 or over (elder mode): read the words aloud, one tap. */
  readonly voiceOffer?: { onAccept: () => void; onDecline: () => void } | undefined;
  /** The idle screen has no Back/Home: there is nowhere to go back to (呼叫工作人员 stays). */
  readonly navigation?: boolean;
  /** A video call to the hall (远程帮办): beside the journey, which goes on underneath. */
  readonly callPanel?: ComponentChildren;
}

export function Chrome(props: ChromeProps) {
  const { t } = useI18n();
  return (
    <div class="screen" data-screen={props.screenId}>
      <header class="top-bar">
        {/* Portrait: on its own line above the controls. Landscape: in the bottom bar (below), so the
            header stays one row even in large text with voice on. */}
        <span class="place place-top" data-testid="place-name">
          {props.placeName}
        </span>
        {/* In the header, beside the controls it is about: its own line in portrait, the row's free
            left part in landscape (where height is scarce). */}
        {props.voiceOffer !== undefined && (
          <div class="banner voice-offer" role="status" data-testid="voice-offer">
            <span>{t('chrome.voiceOffer')}</span>
            <button type="button" class="primary" data-testid="voice-offer-yes" onClick={props.voiceOffer.onAccept}>
              {t('chrome.voiceOfferYes')}
            </button>
            <button type="button" data-testid="voice-offer-no" onClick={props.voiceOffer.onDecline}>
              {t('chrome.voiceOfferNo')}
            </button>
          </div>
        )}
        <div class="top-controls">
          <button
            type="button"
            data-testid="language"
            aria-label={t('chrome.languageLabel')}
            onClick={props.onLanguage}
          >
            {t('chrome.language')}
          </button>
          <button type="button" data-testid="large-text" aria-pressed={props.largeText} onClick={props.onLargeText}>
            {props.largeText ? t('chrome.largeTextOn') : t('chrome.largeTextOff')}
          </button>
          <VoiceControls />
        </div>
      </header>
      {props.staffCalled && (
        <div class="banner" role="status" data-testid="staff-called">
          {t('chrome.staffCalled')}
          {props.servicePointPhone !== '' && (
            <span class="banner-phone" data-testid="staff-phone">
              {t('chrome.staffPhone', { phone: props.servicePointPhone })}
            </span>
          )}
        </div>
      )}
      <div class="screen-middle">
        <main class="content">{props.children}</main>
        {props.callPanel}
      </div>
      <footer class="bottom-bar">
        {props.navigation !== false && (
          <>
            <button type="button" data-testid="back" onClick={props.onBack}>
              ← {t('chrome.back')}
            </button>
            <button type="button" data-testid="home" onClick={props.onHome}>
              {t('chrome.home')}
            </button>
          </>
        )}
        <span class="place place-bottom" aria-hidden="true">
          {props.placeName}
        </span>
        <span class="progress">{props.progress !== undefined && t('chrome.progress', props.progress)}</span>
        <button type="button" class="staff" data-testid="call-staff" onClick={props.onCallStaff}>
          {t('chrome.callStaff')}
        </button>
      </footer>
    </div>
  );
}
