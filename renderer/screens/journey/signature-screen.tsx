import { useContext, useState } from 'preact/hooks';
import type { KioskClient } from '../../api/kiosk-client';
import { SignaturePad } from '../../components/inputs/signature-pad';
import { ScreenBody } from '../../components/screen-body';
import { useI18n } from '../../i18n/i18n';
import type { Draft } from '../../journey/draft';
import { AskStaffContext } from '../../staff/ask-staff';

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

export function SignatureScreen({
  client,
  onDone,
}: {
  client: KioskClient;
  onDone: (png: string, mark?: Draft['signatureMark']) => void;
}) {
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
    const answer = await client.call('staff.witnessMark', {
      markPngBase64: mark.replace(/^data:image\/png;base64,/, ''),
    });
    if (answer.ok) return onDone(mark, { staffId: answer.value.staffId });
    switch (answer.error.kind) {
      case 'no-session':
        return setProblem('session-ended');
      case 'not-allowed':
      case 'unavailable':
        return setProblem('not-confirmed');
    }
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
