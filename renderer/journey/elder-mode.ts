import type { CardView } from '../../electron/api/journey-contract';

/**
 * Elder mode by itself (issue 12): when the card of the person at the screen shows 60 or older,
 * large text switches on and voice is offered with one tap. It happens once per person, on the
 * first card read; what the resident then chooses (turning either off) is never overridden.
 */
export const elderAge = 60;

export function isElder(card: CardView | undefined): boolean {
  return card !== undefined && card.age >= elderAge;
}
