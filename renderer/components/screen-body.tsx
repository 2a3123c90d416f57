import type { ComponentChildren } from 'preact';

/**
 * The body of every resident screen: what it says (left column in landscape), what the hands do
 * (keypad, camera, signature, choices: right column in landscape, below in portrait), and one
 * action bar pinned to the bottom of the content area, so the next step is never below the fold
 * and always in the same place. The primary action is always the right-most button of the bar;
 * secondary actions sit to its left (docs/ux.md, "Nothing below the fold").
 */
export interface ScreenBodyProps {
  readonly children: ComponentChildren;
  /** The hands' part: keypad, camera, signature pad, choices. */
  readonly side?: ComponentChildren;
  /** The main action (button.primary), always right-most in the action bar. */
  readonly primary?: ComponentChildren;
  /** Other actions (重拍, 跳过, 不会写字…), left of the primary one. */
  readonly secondary?: ComponentChildren;
}

export function ScreenBody(props: ScreenBodyProps) {
  const given = (part: ComponentChildren) => part !== undefined && part !== null && part !== false;
  const split = given(props.side);
  // A screen whose choices are its list (categories, services) has no bar: an empty one is
  // invisible anyway and would only take the list's room.
  const actions = given(props.primary) || given(props.secondary);
  return (
    <>
      <div class={split ? 'screen-body split' : 'screen-body'}>
        {/* Focusable: long reading (a notice in large text) may scroll here, by keyboard too. */}
        <div class="screen-main" tabIndex={0}>
          {props.children}
        </div>
        {split && <div class="screen-side">{props.side}</div>}
      </div>
      {actions && (
        <div class="action-bar" data-testid="action-bar">
          <div class="secondary-actions">{props.secondary}</div>
          <div class="primary-action">{props.primary}</div>
        </div>
      )}
    </>
  );
}
