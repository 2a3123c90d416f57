import type { ComponentChildren } from 'preact';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages-zh';

/**
 * The frame of the staff and technician screens: who is signed in, language, sign out, and tabs
 * as big buttons (one tap, no swipes). Same theme tokens as the resident screens.
 */
export interface StaffFrameProps<T extends string> {
  readonly screenId: string;
  readonly title: MessageKey;
  readonly tabs: ReadonlyArray<{ id: T; label: MessageKey }>;
  readonly tab: T;
  readonly onTab: (tab: T) => void;
  readonly onLanguage: () => void;
  readonly onSignOut: () => void;
  readonly notice?: ComponentChildren;
  readonly children: ComponentChildren;
}

export function StaffFrame<T extends string>(props: StaffFrameProps<T>) {
  const { t } = useI18n();
  return (
    <div class="screen staff-screen" data-screen={props.screenId}>
      <header class="top-bar staff-bar">
        <h1 class="staff-title">{t(props.title)}</h1>
        <button
          type="button"
          data-testid="staff-language"
          aria-label={t('chrome.languageLabel')}
          onClick={props.onLanguage}
        >
          {t('chrome.language')}
        </button>
        <button type="button" class="staff" data-testid="staff-sign-out" onClick={props.onSignOut}>
          {t('staff.signOut')}
        </button>
      </header>
      <nav class="staff-tabs" aria-label={t(props.title)}>
        {props.tabs.map((tab) => (
          <button
            type="button"
            key={tab.id}
            data-testid={`tab-${tab.id}`}
            aria-pressed={tab.id === props.tab}
            onClick={() => props.onTab(tab.id)}
          >
            {t(tab.label)}
          </button>
        ))}
      </nav>
      {props.notice}
      <main class="content staff-content">{props.children}</main>
    </div>
  );
}

/** A result line after an action: green tick or red cross, in words too (colour is never the only signal). */
export function Outcome({ ok, text, testId }: { ok: boolean; text: string; testId?: string }) {
  const { t } = useI18n();
  return (
    <p class={ok ? 'outcome ok' : 'outcome bad'} role="status" data-testid={testId}>
      {ok ? `✓ ${t('staff.done')}` : `✗ ${t('staff.failed')}`} {text}
    </p>
  );
}
