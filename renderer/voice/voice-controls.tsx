import { useI18n } from '../i18n/i18n';
import { useKeypadMode } from '../keypad/keypad-mode';
import { useLongPress } from '../keypad/use-long-press';
import { useVoice, volumeStep } from './use-voice';
import './voice.css';

/**
 * Voice on/off, 再听一遍, stop and volume, folded into the header of every screen (docs/ux.md: repeat,
 * stop and volume always at hand while voice is on; off, only the switch takes room). Everything it
 * changes lives in the VoiceProvider above it.
 */
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

export function VoiceControls() {
  const { t } = useI18n();
  const voice = useVoice();
  const keypadMode = useKeypadMode();
  // Staff hold 声音 for two seconds to turn the audio keypad mode on for a resident who cannot see.
  const { swallowClick, ...longPress } = useLongPress(keypadMode.enter);
  const percent = Math.round(voice.volume * 100);
  return (
    <div class="voice-controls" role="group" aria-label={t('voiceControl.volume', { percent })}>
      <button
        type="button"
        class="voice-toggle"
        data-testid="voice-toggle"
        aria-pressed={voice.enabled}
        {...longPress}
        onClick={() => {
          if (!swallowClick()) voice.setEnabled(!voice.enabled);
        }}
      >
        <SpeakerIcon on={voice.enabled} /> {voice.enabled ? t('voice.on') : t('voice.off')}
      </button>
      {voice.enabled && (
        <>
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
            {t('voiceControl.volume', { percent })}
          </span>
          <button
            type="button"
            data-testid="voice-louder"
            disabled={voice.volume >= 1}
            onClick={() => voice.setVolume(voice.volume + volumeStep)}
          >
            {t('voiceControl.louder')}
          </button>
        </>
      )}
    </div>
  );
}
