import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages-zh';
import { useKeypadMode } from '../keypad/keypad-mode';
import { useVoice } from '../voice/use-voice';
import { findMirrorElement } from './mirror';
import type { HelpPhase, OverReason, RemoteHelp } from './use-remote-help';

/**
 * The screens of 远程帮办 (docs/ux.md): the choice and the consent are dialogs over the journey;
 * waiting and the call are a panel beside it (below the header in portrait, on the right in
 * landscape), so the resident goes on with what they were doing and loses nothing.
 */

/**
 * A dialog the resident answers; read aloud when the voice is on. In the audio keypad mode the mode
 * reads it instead (heading, lines, how many choices, the focused one), and its back key does `onBack`.
 */
function HelpDialog(props: {
  testId: string;
  title: string;
  lines: readonly string[];
  onBack: () => void;
  children: ComponentChildren;
}) {
  const voice = useVoice();
  const keypadMode = useKeypadMode();
  const spoken = [props.title, ...props.lines].join('。');
  const withoutSight = keypadMode.active;
  useEffect(() => {
    if (!withoutSight) voice.say(spoken);
  }, [spoken, voice, withoutSight]);
  const dialog = useRef<HTMLDivElement>(null);
  const { onBackIn } = keypadMode;
  const onBack = useRef(props.onBack);
  onBack.current = props.onBack;
  useEffect(() => {
    const el = dialog.current;
    return el === null ? undefined : onBackIn(el, () => onBack.current());
  }, [onBackIn]);
  return (
    <div class="dialog-backdrop">
      <div
        ref={dialog}
        class="dialog help-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={`${props.testId}-title`}
        data-testid={props.testId}
      >
        <h1 id={`${props.testId}-title`}>{props.title}</h1>
        {props.lines.map((line) => (
          <p key={line}>{line}</p>
        ))}
        <div class="help-actions">{props.children}</div>
      </div>
    </div>
  );
}

function overWords(why: OverReason): { title: MessageKey; alternatives: boolean } {
  switch (why) {
    case 'no-answer':
      return { title: 'help.noAnswerTitle', alternatives: true };
    case 'unreachable':
      return { title: 'help.unreachable', alternatives: true };
    case 'no-camera':
      return { title: 'help.noCamera', alternatives: true };
    case 'officer-ended':
      return { title: 'help.officerEnded', alternatives: false };
    case 'lost':
      return { title: 'help.lost', alternatives: true };
  }
}

export function HelpDialogs({ help, onStaffHere }: { help: RemoteHelp; onStaffHere: () => void }) {
  const { t } = useI18n();
  const { phase } = help;
  const staffHere = (
    <button
      type="button"
      class="staff"
      data-testid="help-staff-here"
      onClick={() => {
        help.close();
        onStaffHere();
      }}
    >
      {t('help.staffHere')}
    </button>
  );
  switch (phase.name) {
    case 'choose':
      return (
        <HelpDialog
          testId="help-choose"
          title={t('help.chooseTitle')}
          lines={[t('help.videoHint')]}
          onBack={help.close}
        >
          {staffHere}
          <button type="button" class="primary" data-testid="help-video" onClick={help.chooseVideo}>
            {t('help.video')}
          </button>
          <button type="button" data-testid="help-cancel" onClick={help.close}>
            {t('help.cancel')}
          </button>
        </HelpDialog>
      );
    case 'preparing':
      return (
        <div class="dialog-backdrop">
          <div class="dialog help-dialog" role="status" data-testid="help-preparing" data-keypad-dialog>
            <p>{t('help.preparing')}</p>
          </div>
        </div>
      );
    case 'consent':
      return (
        <HelpDialog
          testId="help-consent"
          title={t('help.consentTitle')}
          // Not agreed, and not asked for the staff here either: the call is given up, nothing opened.
          onBack={help.giveUp}
          lines={[
            t('help.consentWho'),
            phase.recordingDays === null
              ? t('help.consentNotRecorded')
              : t('help.consentRecorded', { days: phase.recordingDays }),
            t('help.consentCamera'),
            t('help.consentDecline'),
          ]}
        >
          <button type="button" class="staff" data-testid="help-consent-no" onClick={() => help.consent(false)}>
            {t('help.consentNo')}
          </button>
          <button type="button" class="primary" data-testid="help-consent-yes" onClick={() => help.consent(true)}>
            {t('help.consentYes')}
          </button>
        </HelpDialog>
      );
    case 'over': {
      const words = overWords(phase.why);
      return (
        <HelpDialog
          testId="help-over"
          title={t(words.title)}
          onBack={help.close}
          lines={words.alternatives ? [t('help.alternatives')] : []}
        >
          {words.alternatives && staffHere}
          <button type="button" class="primary" data-testid="help-over-ok" onClick={help.close}>
            {words.alternatives ? t('help.tryLater') : t('help.ok')}
          </button>
        </HelpDialog>
      );
    }
    case 'closed':
    case 'waiting':
    case 'in-call':
      return null;
  }
}

function Video({
  stream,
  muted,
  label,
  testId,
}: {
  stream: MediaStream | null;
  muted: boolean;
  label: string;
  testId: string;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (video === null) return;
    video.srcObject = stream;
    if (stream !== null) void video.play().catch(() => undefined);
    return () => {
      video.srcObject = null;
    };
  }, [stream]);
  return <video ref={ref} class={testId} data-testid={testId} aria-label={label} autoplay playsInline muted={muted} />;
}

/** Waiting and the call: beside the journey, which goes on underneath. */
export function CallPanel({ help }: { help: RemoteHelp }) {
  const { t } = useI18n();
  const phase: HelpPhase = help.phase;
  if (phase.name !== 'waiting' && phase.name !== 'in-call') return null;
  const waiting = phase.name === 'waiting';
  const minutes =
    waiting && phase.expectedWaitSeconds !== null ? Math.max(1, Math.ceil(phase.expectedWaitSeconds / 60)) : null;
  return (
    <aside class="call-panel" data-testid="call-panel" data-phase={phase.name} aria-label={t('help.officerVideo')}>
      <div class="call-remote">
        {waiting ? (
          <div class="call-waiting" role="status" data-testid="help-waiting">
            <p class="call-title">{t('help.waitingTitle')}</p>
            <p data-testid="help-position" data-position={phase.position}>
              {phase.position <= 1 ? t('help.waitingNext') : t('help.waitingAhead', { ahead: phase.position - 1 })}
            </p>
            <p>{minutes === null ? t('help.waitingSoon') : t('help.waitingMinutes', { minutes })}</p>
          </div>
        ) : (
          <>
            <Video stream={help.remoteStream} muted={false} label={t('help.officerVideo')} testId="remote-video" />
            <p class="call-title" role="status" data-testid="help-officer">
              {phase.connected
                ? t('help.inCall', { name: phase.officerName })
                : t('help.connecting', { name: phase.officerName })}
            </p>
            {phase.audioOnly === true && (
              <p class="call-note" role="status" data-testid="help-audio-only">
                {t('help.audioOnly')}
              </p>
            )}
          </>
        )}
      </div>
      <div class="call-side">
        <Video stream={help.localStream} muted label={t('help.ownVideo')} testId="local-video" />
        {waiting ? (
          <button type="button" class="staff" data-testid="help-give-up" onClick={help.giveUp}>
            {t('help.giveUp')}
          </button>
        ) : (
          <button type="button" class="hang-up" data-testid="help-hang-up" onClick={help.hangUp}>
            {t('help.hangUp')}
          </button>
        )}
      </div>
    </aside>
  );
}

/** A large pulsing ring with 点这里 around what the officer points at; it follows the element. */
export function PointRing({ itemId }: { itemId: string | null }) {
  const { t } = useI18n();
  const [rect, setRect] = useState<{ left: number; top: number; width: number; height: number } | null>(null);
  useEffect(() => {
    if (itemId === null) return setRect(null);
    let frame = 0;
    const follow = () => {
      const area = document.querySelector('main.content');
      const el = area === null ? null : findMirrorElement(area, itemId);
      const box = el?.getBoundingClientRect();
      setRect((old) =>
        box === undefined
          ? null
          : old !== null &&
              old.left === box.left &&
              old.top === box.top &&
              old.width === box.width &&
              old.height === box.height
            ? old
            : { left: box.left, top: box.top, width: box.width, height: box.height },
      );
      frame = requestAnimationFrame(follow);
    };
    follow();
    return () => cancelAnimationFrame(frame);
  }, [itemId]);
  if (itemId === null || rect === null) return null;
  const pad = 16;
  return (
    <div
      class="point-ring"
      data-testid="point-ring"
      data-item={itemId}
      role="status"
      style={{
        left: `${rect.left - pad}px`,
        top: `${rect.top - pad}px`,
        width: `${rect.width + 2 * pad}px`,
        height: `${rect.height + 2 * pad}px`,
      }}
    >
      <span class="point-label">{t('help.point')}</span>
    </div>
  );
}

/** The officer's proposed answer: accepted or not with one tap. */
export function ProposalCard({ help, label }: { help: RemoteHelp; label: (itemId: string) => string }) {
  const { t } = useI18n();
  const voice = useVoice();
  const { proposal } = help;
  const spoken = proposal === null ? '' : `${t('help.proposalTitle')}：${proposal.value}`;
  useEffect(() => voice.say(spoken), [spoken, voice]);
  if (proposal === null)
    return help.proposalRefused ? (
      <div class="proposal-card" role="alert" data-testid="proposal-refused">
        <p>{t('help.proposalRefused')}</p>
      </div>
    ) : null;
  return (
    <div class="proposal-card" role="dialog" aria-labelledby="proposal-title" data-testid="proposal-card">
      <p id="proposal-title" class="proposal-title">
        {t('help.proposalTitle')}
      </p>
      <p class="proposal-value">
        {label(proposal.itemId)}：<strong data-testid="proposal-value">{proposal.value}</strong>
      </p>
      <div class="help-actions">
        <button type="button" data-testid="proposal-reject" onClick={() => help.answerProposal(false)}>
          {t('help.proposalReject')}
        </button>
        <button type="button" class="primary" data-testid="proposal-accept" onClick={() => help.answerProposal(true)}>
          {t('help.proposalAccept')}
        </button>
      </div>
    </div>
  );
}
