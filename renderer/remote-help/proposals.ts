import { createContext } from 'preact';
import { useContext, useEffect, useRef } from 'preact/hooks';
import type { Question } from '../../kiosk-config/catalogue-schema';

/**
 * An officer's proposed answer (远程帮办 `propose`) goes through the screen's own way of answering,
 * so it is checked exactly like the resident's own input: the screen that shows a question
 * registers a target under the question's item id (`answer:<question id>`), and the proposal card
 * hands the accepted text to it. A proposal for anything not on screen is refused.
 */
export type ProposalTarget = (value: string) => boolean;

export interface ProposalTargets {
  register(itemId: string, target: ProposalTarget): () => void;
  has(itemId: string): boolean;
  /** True when the screen took the answer (it passed the same checks as typing it). */
  apply(itemId: string, value: string): boolean;
}

export function createProposalTargets(): ProposalTargets {
  const targets = new Map<string, ProposalTarget>();
  return {
    register(itemId, target) {
      targets.set(itemId, target);
      return () => {
        if (targets.get(itemId) === target) targets.delete(itemId);
      };
    },
    has: (itemId) => targets.has(itemId),
    apply: (itemId, value) => targets.get(itemId)?.(value) ?? false,
  };
}

export const ProposalTargetsContext = createContext<ProposalTargets | null>(null);

/** The hall officer whose proposed answer this resident accepted (their display name), for the check screen. */
export const RemoteHelperContext = createContext<string | null>(null);

/** The item id of a question's answer, in the mirror and in proposals. */
export const answerItemId = (questionId: string) => `answer:${questionId}`;

/** Registers this screen's way of taking a proposed answer while it is shown. */
export function useProposalTarget(itemId: string, target: ProposalTarget): void {
  const targets = useContext(ProposalTargetsContext);
  const latest = useRef(target);
  latest.current = target;
  useEffect(() => targets?.register(itemId, (value) => latest.current(value)), [targets, itemId]);
}

const yesWords = new Set(['是', '对', '有', 'yes', 'true', 'y']);
const noWords = new Set(['否', '不是', '没有', 'no', 'false', 'n']);

/**
 * The officer's text as the input the question screen takes from its own keys: digits for numbers
 * and dates, true/false for yes-no, an option's value for a choice (by value or by its words in
 * either language), a group of the service point's list; null when it cannot be one.
 */
export function proposedInput(
  question: Question,
  value: string,
  villageGroups: readonly string[],
): string | boolean | null {
  const text = value.trim();
  switch (question.type) {
    case 'yes-no': {
      const word = text.toLowerCase();
      return yesWords.has(word) ? true : noWords.has(word) ? false : null;
    }
    case 'choice': {
      const option = question.options.find(
        (o) => o.value === text || o.label['zh-CN'] === text || o.label.en.toLowerCase() === text.toLowerCase(),
      );
      return option?.value ?? null;
    }
    case 'village-group':
      return villageGroups.includes(text) ? text : null;
    case 'number':
      return /^\d+(\.\d+)?$/.test(text) ? text : null;
    case 'phone':
    case 'bank-account':
    case 'date': {
      const digits = text.replace(/[\s-]/g, '');
      return /^\d+$/.test(digits) ? digits : null;
    }
    case 'certificate-number': {
      const compact = text.replace(/\s/g, '').toUpperCase();
      return /^[0-9X]+$/.test(compact) ? compact : null;
    }
    case 'text':
    case 'address':
      return text === '' ? null : text;
  }
}
