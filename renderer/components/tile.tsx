import type { ComponentChildren } from 'preact';
import type { IconName } from '../../kiosk-config/catalogue-schema';
import { Icon } from './icon';

/** A big tile to choose a category or a service: picture, name, one line of what it is. */
export function Tile(props: {
  readonly testId: string;
  readonly icon: IconName;
  readonly title: ComponentChildren;
  readonly summary: string;
  /** Suits the person (from the card): a stronger edge and, where asked, a badge. */
  readonly suggested?: boolean;
  readonly badge?: string | undefined;
  readonly onChoose: () => void;
}) {
  return (
    <button
      type="button"
      class={props.suggested === true ? 'tile suggested' : 'tile'}
      data-speak
      data-testid={props.testId}
      onClick={props.onChoose}
    >
      <Icon name={props.icon} />
      <span class="tile-text">
        <span class="tile-title">{props.title}</span>
        {props.badge !== undefined && <span class="badge">★ {props.badge}</span>}
        <span class="tile-sub">{props.summary}</span>
      </span>
    </button>
  );
}
