import { render } from 'preact';
import { useState } from 'preact/hooks';
import type { KioskClient } from '../../../renderer/api/kiosk-client';
import { LazyHandwritingPad } from '../../../renderer/components/inputs/handwriting/lazy-handwriting-pad';
import { LazyCameraCapture } from '../../../renderer/components/inputs/lazy-camera-capture';
import { LazyPinyinKeyboard } from '../../../renderer/components/inputs/lazy-pinyin-keyboard';
import { LazyQrCameraScanner } from '../../../renderer/components/inputs/lazy-qr-camera-scanner';
import { NumericKeypad } from '../../../renderer/components/inputs/numeric-keypad';
import { SignaturePad } from '../../../renderer/components/inputs/signature-pad';
import { I18nContext, makeI18n } from '../../../renderer/i18n/i18n';
import { useWedgeScanner } from '../../../renderer/input/use-wedge-scanner';
import { useVoice, VoiceProvider } from '../../../renderer/voice/use-voice';
import { VoiceControls } from '../../../renderer/voice/voice-controls';
import '../../../renderer/theme/kiosk.css';

/**
 * A page that shows one input widget at a time (?widget=…&lang=en&large=1) for the widget e2e
 * tests; everything the widgets report lands on `window.harness` for the test to read.
 */
interface HarnessState {
  value: string;
  signature: string | null;
  photo: { dataUrl: string; width: number; height: number; bytes: number } | null;
  decoded: string[];
  scans: string[];
  speechCalls: Array<{ method: string; params: unknown }>;
  voiceKind: string;
  cspViolations: string[];
}
declare global {
  interface Window {
    harness: HarnessState;
  }
}
window.harness = {
  value: '',
  signature: null,
  photo: null,
  decoded: [],
  scans: [],
  speechCalls: [],
  voiceKind: '',
  cspViolations: [],
};
document.addEventListener('securitypolicyviolation', (e) =>
  window.harness.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
);

const params = new URLSearchParams(location.search);
const language = params.get('lang') === 'en' ? 'en' : 'zh-CN';
document.documentElement.lang = language;
document.documentElement.classList.toggle('large-text', params.get('large') === '1');

function Value({ value }: { value: string }) {
  window.harness.value = value;
  return (
    <output class="entry text" data-testid="value">
      {value}
    </output>
  );
}

function Keypad() {
  const [value, setValue] = useState('');
  return (
    <>
      <Value value={value} />
      {params.get('decimal') === '1' ? (
        <NumericKeypad value={value} onChange={setValue} maxLength={4} allowDecimal />
      ) : (
        <NumericKeypad value={value} onChange={setValue} maxLength={18} xAt={18} />
      )}
    </>
  );
}

function Keyboard() {
  const [value, setValue] = useState('');
  return (
    <>
      <Value value={value} />
      <LazyPinyinKeyboard value={value} onChange={setValue} maxLength={20} />
    </>
  );
}

function Handwriting() {
  const [value, setValue] = useState('');
  return (
    <>
      <Value value={value} />
      <LazyHandwritingPad value={value} onChange={setValue} maxLength={Number(params.get('max') ?? 10)} />
    </>
  );
}

function Wedge() {
  const [scans, setScans] = useState<string[]>([]);
  useWedgeScanner((code) => {
    window.harness.scans.push(code);
    setScans([...window.harness.scans]);
  });
  return (
    <>
      <label for="field">Field</label>
      <input id="field" data-testid="field" />
      <output data-testid="scans">{scans.join(',')}</output>
    </>
  );
}

/** A service that only records speech calls: the browser here has no voices of its own. */
const recordingClient = {
  call: ((method: string, params: unknown) => {
    window.harness.speechCalls.push({ method, params });
    return Promise.resolve({ ok: true, value: method === 'speech.speak' ? { spoken: true } : {} });
  }) as KioskClient['call'],
};

function VoiceButtons() {
  const voice = useVoice();
  window.harness.voiceKind = voice.kind;
  return (
    <div class="button-row">
      <output data-testid="voice-kind">{voice.kind}</output>
      <button type="button" data-testid="say" onClick={() => voice.say('请把身份证放在读卡器上')}>
        say
      </button>
    </div>
  );
}

function Widget({ name }: { name: string }) {
  switch (name) {
    case 'keypad':
      return <Keypad />;
    case 'keyboard':
      return <Keyboard />;
    case 'handwriting':
      return <Handwriting />;
    case 'signature':
      return <SignaturePad onChange={(png) => (window.harness.signature = png)} />;
    case 'camera':
    case 'face':
      return (
        <LazyCameraCapture
          cameraLabel={params.get('label') ?? ''}
          guide={name === 'face' ? 'face' : 'document'}
          onCapture={(photo) => (window.harness.photo = photo)}
          onCancel={() => undefined}
        />
      );
    case 'qr':
      return <LazyQrCameraScanner cameraLabel="" onDecoded={(text) => window.harness.decoded.push(text)} />;
    case 'wedge':
      return <Wedge />;
    case 'voice':
      return (
        <VoiceProvider client={recordingClient} language={language} languages={['zh-CN', 'en']} initiallyEnabled>
          <VoiceButtons />
          <VoiceControls />
        </VoiceProvider>
      );
    default:
      return <p>unknown widget</p>;
  }
}

const root = document.getElementById('app');
if (root !== null) {
  render(
    <I18nContext.Provider value={makeI18n(language)}>
      <div class="screen" data-screen="harness">
        <main class="content">
          <Widget name={params.get('widget') ?? ''} />
        </main>
      </div>
    </I18nContext.Provider>,
    root,
  );
}
