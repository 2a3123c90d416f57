import { useI18n } from '../i18n/i18n';
import { useVoice, volumeStep } from './use-voice';
import './voice.css';

/**
 * Voice on/off, 再听一遍, stop and volume, for the frame of every screen (docs/ux.md: repeat, stop and
 * volume always at hand). Everything it changes lives in the VoiceProvider above it.
 */
export function VoiceControls() {
  const { t } = useI18n();
  const voice = useVoice();
  const percent = Math.round(voice.volume * 100);
  return (
    <div class="voice-controls" role="group" aria-label={t('voiceControl.volume', { percent })}>
      <button
        type="button"
        data-testid="voice-toggle"
        aria-pressed={voice.enabled}
        onClick={() => voice.setEnabled(!voice.enabled)}
      >
        {voice.enabled ? t('voice.on') : t('voice.off')}
      </button>
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
    </div>
  );
}
