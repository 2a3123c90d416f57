import { useContext, useState } from 'preact/hooks';
import type { KioskClient } from '../../api/kiosk-client';
import { SignaturePad } from '../../components/inputs/signature-pad';
import { ScreenBody } from '../../components/screen-body';
import { useI18n } from '../../i18n/i18n';
import type { Draft } from '../../journey/draft';
import { AskStaffContext } from '../../staff/ask-staff';
import { useKeypadMode } from '../../keypad/keypad-mode';
import { err, ok, type Result } from '../../../foundation/result';

/**
 * Sign in the box. 下一步 is never a greyed-out mystery: tapped before anything is written, it says
 * what to do (请先在框里写名字).
 *
 * 不会写字: the resident draws a mark (✗ or circle) on the same pad instead, and a member of staff
 * confirms it on the spot with their PIN (the staff sign-in pad over this screen, AskStaffContext;
 * staff mode does not open). The service holds the confirmed mark for this session and refuses a
 * mark no one confirmed.
 */
type Kind = 'name' | 'mark';
type Problem = 'empty' | 'not-confirmed' | 'session-ended';

/**
 * Staff confirm, with their PIN, the image the resident's signature stands on (a mark, or the words of
 * a spoken confirmation): the service then accepts it with their id. Answers the staff id or why not.
 */
async function staffWitness(
  client: KioskClient,
  png: string,
): Promise<Result<string, 'session-ended' | 'not-confirmed'>> {
  const answer = await client.call('staff.witnessMark', { markPngBase64: png.replace(/^data:image\/png;base64,/, '') });
  if (answer.ok) return ok(answer.value.staffId);
  switch (answer.error.kind) {
    case 'no-session':
      return err('session-ended');
    case 'not-allowed':
    case 'unavailable':
      return err('not-confirmed');
  }
}

export interface SignatureScreenProps {
  readonly client: KioskClient;
  readonly onDone: (png: string, mark?: Draft['signatureMark'], spoken?: Draft['signatureSpoken']) => void;
}

export function SignatureScreen(props: SignatureScreenProps) {
  // Nothing to draw for a resident who cannot see: they hear the confirmation and press enter.
  return useKeypadMode().active ? <SpokenSignature {...props} /> : <DrawnSignature {...props} />;
}

/**
 * The confirmation's words drawn as the signature image, so the application's record shows what the
 * resident agreed to; the service records it as a spoken confirmation, not as a signature.
 */
function statementPng(statement: string): string {
  const canvas = document.createElement('canvas');
  canvas.width = 900;
  canvas.height = 160;
  const ctx = canvas.getContext('2d');
  if (ctx !== null) {
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = '#000000';
    ctx.font = '26px sans-serif';
    // Wrapped by characters: the statement is short and Chinese has no spaces to wrap at.
    const lines: string[] = [''];
    for (const ch of statement) {
      const last = lines.length - 1;
      if (ctx.measureText((lines[last] ?? '') + ch).width > canvas.width - 40) lines.push(ch);
      else lines[last] = (lines[last] ?? '') + ch;
    }
    lines.forEach((line, i) => ctx.fillText(line, 20, 50 + i * 38));
  }
  return canvas.toDataURL('image/png');
}

function SpokenSignature({ client, onDone }: SignatureScreenProps) {
  const { t } = useI18n();
  const askStaff = useContext(AskStaffContext);
  const [problem, setProblem] = useState<'not-confirmed' | 'session-ended' | null>(null);
  const statement = t('signature.spokenStatement');
  const witnessed = async () => {
    const png = statementPng(statement);
    const answer = await staffWitness(client, png);
    if (answer.ok) onDone(png, null, { staffId: answer.value });
    else setProblem(answer.error);
  };
  return (
    <ScreenBody
      secondary={
        <button type="button" data-testid="signature-spoken-witness" onClick={() => askStaff(() => void witnessed())}>
          {t('signature.spokenWitness')}
        </button>
      }
      primary={
        <button
          type="button"
          class="primary"
          data-testid="signature-spoken"
          onClick={() => onDone(statementPng(statement), null, { staffId: null })}
        >
          {t('signature.spokenConfirm')}
        </button>
      }
    >
      <h1 data-speak>{t('signature.spokenTitle')}</h1>
      <p class="instruction" data-speak>
        {t('signature.spokenInstruction')}
      </p>
      <p class="instruction big" data-speak data-testid="signature-statement">
        {statement}
      </p>
      {problem !== null && (
        <p class="field-error" role="alert" data-speak data-testid="signature-problem">
          {problem === 'not-confirmed' ? t('signature.witnessFailed') : t('journey.sessionEnded')}
        </p>
      )}
    </ScreenBody>
  );
}

function DrawnSignature({ client, onDone }: SignatureScreenProps) {
  const { t } = useI18n();
  const [kind, setKind] = useState<Kind>('name');
  const [png, setPng] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const askStaff = useContext(AskStaffContext);

  const switchTo = (next: Kind) => {
    // A new pad for the other kind: a half-written name is not a mark, nor the other way round.
    setKind(next);
    setPng(null);
    setProblem(null);
  };

  const witnessed = async (mark: string) => {
    const answer = await staffWitness(client, mark);
    if (answer.ok) onDone(mark, { staffId: answer.value });
    else setProblem(answer.error);
  };

  const problemText: Record<Problem, string> = {
    empty: t(kind === 'name' ? 'signature.writeFirst' : 'signature.markFirst'),
    'not-confirmed': t('signature.witnessFailed'),
    'session-ended': t('journey.sessionEnded'),
  };

  return (
    <ScreenBody
      side={
        <SignaturePad
          key={kind}
          {...(kind === 'mark' ? { hint: t('signature.markHint') } : {})}
          onChange={(next) => {
            setPng(next);
            if (next !== null) setProblem(null);
          }}
        />
      }
      secondary={
        kind === 'name' ? (
          <button type="button" data-testid="signature-mark" onClick={() => switchTo('mark')}>
            {t('signature.cannotWrite')}
          </button>
        ) : (
          <button type="button" data-testid="signature-name" onClick={() => switchTo('name')}>
            {t('signature.writeName')}
          </button>
        )
      }
      primary={
        <button
          type="button"
          class="primary"
          data-testid="next"
          onClick={() => {
            if (png === null) return setProblem('empty');
            if (kind === 'name') return onDone(png);
            // The pad is out of reach under the PIN pad: the mark staff see is the one sent.
            askStaff(() => void witnessed(png));
          }}
        >
          {t(kind === 'name' ? 'submitted.continue' : 'signature.askStaff')}
        </button>
      }
    >
      <h1 data-speak>{t(kind === 'name' ? 'signature.title' : 'signature.markTitle')}</h1>
      <p class="instruction" data-speak>
        {t(kind === 'name' ? 'signature.instruction' : 'signature.markInstruction')}
      </p>
      {problem !== null && (
        <p
          class="field-error"
          role="alert"
          data-speak
          data-testid={problem === 'empty' ? 'signature-first' : 'signature-problem'}
        >
          {problemText[problem]}
        </p>
      )}
    </ScreenBody>
  );
}
