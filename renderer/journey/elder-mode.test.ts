import { describe, expect, it } from 'vitest';
import type { CardView } from '../../electron/api/journey-contract';
import { isElder } from './elder-mode';

const card = (age: number) => ({ age }) as CardView;

describe('elder mode', () => {
  it('starts at 60', () => {
    expect(isElder(card(59))).toBe(false);
    expect(isElder(card(60))).toBe(true);
    expect(isElder(card(86))).toBe(true);
  });
  it('needs a card', () => {
    expect(isElder(undefined)).toBe(false);
  });
});
