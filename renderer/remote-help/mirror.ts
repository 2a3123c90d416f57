import { maxPeerMessageBytes, type MirrorItem, type MirrorScreen } from '../../foundation/remote-help-peer';

/**
 * The screen mirror (docs/remote-help.md): what the resident sees in the journey area, as items in
 * reading order — headings, texts, buttons, choices, fields with their values as shown (the screens
 * already mask names and ID numbers). One walk both builds the mirror and finds the element an
 * officer points at, so an item's id always names the same element on both sides.
 *
 * An item's id: its `data-help-id`, else its `data-testid`, else its role and place (`text-3`).
 * A field is an `<output>`/`<input>` or anything marked `data-help-field`; its label comes from
 * `data-help-label`; a group of choices marked as a field gives its value in `data-help-value`,
 * and its choices are items too. Nothing hidden (`hidden`, `inert`, `aria-hidden`) is mirrored.
 */
export interface MirrorElement {
  readonly tagName: string;
  getAttribute(name: string): string | null;
  readonly children: ArrayLike<MirrorElement>;
  readonly textContent: string | null;
}

export const maxMirrorItems = 300;

const headingTags = new Set(['H1', 'H2', 'H3', 'H4']);
const textTags = new Set(['P', 'LI', 'DT', 'DD', 'LABEL', 'TD', 'TH', 'FIGCAPTION', 'LEGEND']);
const skippedTags = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'VIDEO', 'CANVAS', 'svg', 'SVG']);

const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);
const words = (el: MirrorElement) => clip((el.textContent ?? '').replace(/\s+/g, ' ').trim(), 500);

function hidden(el: MirrorElement): boolean {
  return (
    el.getAttribute('hidden') !== null || el.getAttribute('inert') !== null || el.getAttribute('aria-hidden') === 'true'
  );
}

function roleOf(el: MirrorElement): MirrorItem['role'] | null {
  const tag = el.tagName.toUpperCase();
  if (el.getAttribute('data-help-field') !== null || tag === 'OUTPUT' || tag === 'INPUT' || tag === 'TEXTAREA')
    return 'field';
  if (tag === 'BUTTON') return el.getAttribute('aria-pressed') === null ? 'button' : 'choice';
  if (headingTags.has(tag)) return 'heading';
  if (textTags.has(tag)) return 'text';
  return null;
}

function itemOf(el: MirrorElement, role: MirrorItem['role'], id: string): MirrorItem | null {
  const label = el.getAttribute('aria-label') ?? words(el);
  switch (role) {
    case 'field': {
      const value = el.getAttribute('data-help-value') ?? (el as { value?: unknown }).value;
      return {
        id,
        role,
        label: clip(el.getAttribute('data-help-label') ?? '', 500),
        value: typeof value === 'string' ? clip(value, 500) : words(el),
      };
    }
    case 'button':
      return el.getAttribute('disabled') !== null ? { id, role, label, disabled: true } : { id, role, label };
    case 'choice':
      return { id, role, label, selected: el.getAttribute('aria-pressed') === 'true' };
    case 'heading':
    case 'text':
      return label === '' ? null : { id, role, label };
  }
}

/** Walks the journey area once, calling `found` with each item and its element, in reading order. */
export function walkMirror(root: MirrorElement, found: (item: MirrorItem, el: MirrorElement) => boolean | void): void {
  const counts = new Map<string, number>();
  const seen = new Set<string>();
  let items = 0;
  const visit = (el: MirrorElement): boolean => {
    if (hidden(el) || skippedTags.has(el.tagName)) return true;
    const role = roleOf(el);
    if (role !== null) {
      const count = (counts.get(role) ?? 0) + 1;
      counts.set(role, count);
      let id = clip(el.getAttribute('data-help-id') ?? el.getAttribute('data-testid') ?? `${role}-${count}`, 64);
      // Two elements with one test id (a list's rows): the second and later are told apart by place.
      if (seen.has(id)) id = clip(`${id}#${count}`, 64);
      seen.add(id);
      const item = itemOf(el, role, id);
      if (item === null) return true;
      items += 1;
      if (found(item, el) === true || items >= maxMirrorItems) return false;
      // A group of choices answering one question is a field (its value the chosen one) and its choices too.
      if (role !== 'field' || el.getAttribute('data-help-value') === null) return true;
    }
    for (let i = 0; i < el.children.length; i++) {
      const child = el.children[i];
      if (child !== undefined && !visit(child)) return false;
    }
    return true;
  };
  visit(root);
}

export function buildMirror(root: MirrorElement, screen: string, language: MirrorScreen['language']): MirrorScreen {
  const items: MirrorItem[] = [];
  // A screen is a few kB; a runaway one is cut where the message would grow past what the other side reads.
  let size = 0;
  walkMirror(root, (item) => {
    size += JSON.stringify(item).length + 1;
    if (size > maxPeerMessageBytes - 1024) return true;
    items.push(item);
    return false;
  });
  return { screen: clip(screen, 64), language, items };
}

/** The element the officer means by `itemId`, found by the same walk that named it; null when gone. */
export function findMirrorElement<E extends MirrorElement>(root: E, itemId: string): E | null {
  let hit: E | null = null;
  walkMirror(root, (item, el) => {
    if (item.id !== itemId) return false;
    hit = el as E;
    return true;
  });
  return hit;
}
