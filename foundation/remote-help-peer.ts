/**
 * Remote help, resident's terminal ↔ officer's page, over the call's WebRTC data channel
 * (label `help`, ordered, reliable). Shared by the renderer and the hall page, so it has no
 * dependency at all: each side parses what the other sent with `parsePeerMessage`, and anything
 * it does not recognise is dropped. docs/remote-help.md says what each message means.
 */

export const peerChannelLabel = 'help';
/** A whole message longer than this (UTF-16 units, so under 192 kB of UTF-8) is not sent; a screen is a few kB. */
export const maxPeerMessageBytes = 64 * 1024;

/** One thing on the resident's screen, in reading order. `id` is what the officer points at. */
export interface MirrorItem {
  readonly id: string;
  readonly role: 'heading' | 'text' | 'button' | 'choice' | 'field';
  readonly label: string;
  /** A field's current answer, masked as the terminal masks it. */
  readonly value?: string;
  readonly selected?: boolean;
  readonly disabled?: boolean;
}

export interface MirrorScreen {
  readonly screen: string;
  readonly language: 'zh' | 'en';
  readonly items: readonly MirrorItem[];
}

export type PeerMessage =
  // terminal → officer
  | { readonly t: 'mirror'; readonly seq: number; readonly mirror: MirrorScreen }
  | { readonly t: 'proposal-answered'; readonly proposalId: string; readonly accepted: boolean }
  // officer → terminal
  | { readonly t: 'point'; readonly itemId: string | null }
  | { readonly t: 'propose'; readonly proposalId: string; readonly itemId: string; readonly value: string };

const isString = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const itemRoles: ReadonlySet<string> = new Set(['heading', 'text', 'button', 'choice', 'field']);

function parseItem(v: unknown): MirrorItem | null {
  if (!isRecord(v) || !isString(v.id, 64) || !isString(v.role, 16) || !itemRoles.has(v.role)) return null;
  if (!isString(v.label, 500)) return null;
  if (v.value !== undefined && !isString(v.value, 500)) return null;
  if (v.selected !== undefined && typeof v.selected !== 'boolean') return null;
  if (v.disabled !== undefined && typeof v.disabled !== 'boolean') return null;
  // Rebuilt rather than passed on, so nothing the sender added rides along to the screen.
  return {
    id: v.id,
    role: v.role as MirrorItem['role'],
    label: v.label,
    ...(v.value === undefined ? {} : { value: v.value }),
    ...(v.selected === undefined ? {} : { selected: v.selected }),
    ...(v.disabled === undefined ? {} : { disabled: v.disabled }),
  };
}

/** The text to send, or null when it would be larger than the other side accepts. */
export function encodePeerMessage(message: PeerMessage): string | null {
  const text = JSON.stringify(message);
  return text.length > maxPeerMessageBytes ? null : text;
}

/** The message, or null for anything malformed, oversized or unknown (never throws). */
export function parsePeerMessage(text: unknown): PeerMessage | null {
  if (typeof text !== 'string' || text.length > maxPeerMessageBytes) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(v)) return null;
  switch (v.t) {
    case 'mirror': {
      const m = v.mirror;
      if (typeof v.seq !== 'number' || !Number.isSafeInteger(v.seq) || !isRecord(m)) return null;
      if (!isString(m.screen, 64) || (m.language !== 'zh' && m.language !== 'en') || !Array.isArray(m.items))
        return null;
      if (m.items.length > 300) return null;
      const items = m.items.map(parseItem);
      if (items.some((i) => i === null)) return null;
      return {
        t: 'mirror',
        seq: v.seq,
        mirror: { screen: m.screen, language: m.language, items: items as MirrorItem[] },
      };
    }
    case 'proposal-answered':
      return isString(v.proposalId, 64) && typeof v.accepted === 'boolean'
        ? { t: 'proposal-answered', proposalId: v.proposalId, accepted: v.accepted }
        : null;
    case 'point':
      return v.itemId === null || isString(v.itemId, 64) ? { t: 'point', itemId: v.itemId } : null;
    case 'propose':
      return isString(v.proposalId, 64) && isString(v.itemId, 64) && isString(v.value, 500)
        ? { t: 'propose', proposalId: v.proposalId, itemId: v.itemId, value: v.value }
        : null;
    default:
      return null;
  }
}
