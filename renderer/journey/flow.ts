import type { Service } from '../../kiosk-config/catalogue-schema';
import type { Screen } from '../state/navigation';
import { stepsFor, type StepName } from './draft';

/** The screen after `screen` in the journey for `service`; pure, so the order is tested. */
export function nextScreen(screen: Screen, service: Service): Screen {
  const serviceCode = service.code;
  const firstDocumentOr = (fallback: Screen): Screen =>
    service.documents.length > 0 ? { name: 'document', serviceCode, index: 0 } : fallback;
  switch (screen.name) {
    case 'notice':
      return { name: 'identify', serviceCode };
    case 'identify':
      return { name: 'parties', serviceCode };
    case 'parties':
      return service.questions.length > 0
        ? { name: 'question', serviceCode, index: 0 }
        : { name: 'consent', serviceCode };
    case 'question':
      return screen.index + 1 < service.questions.length
        ? { name: 'question', serviceCode, index: screen.index + 1 }
        : { name: 'consent', serviceCode };
    case 'consent':
      return firstDocumentOr({ name: 'signature', serviceCode });
    case 'document':
      return screen.index + 1 < service.documents.length
        ? { name: 'document', serviceCode, index: screen.index + 1 }
        : { name: 'signature', serviceCode };
    case 'signature':
      return { name: 'check', serviceCode };
    case 'check':
      return { name: 'submitted', serviceCode };
    case 'submitted':
      return { name: 'rating', serviceCode };
    case 'rating':
      return { name: 'goodbye' };
    case 'idle':
    case 'categories':
    case 'services':
    case 'goodbye':
    case 'progress':
    case 'proof':
      return screen;
  }
}

/** "Step n of m" for the application steps; undefined on screens outside them. */
export function stepOf(screen: Screen, service: Service | undefined): { step: number; total: number } | undefined {
  if (service === undefined) return undefined;
  const names: Partial<Record<Screen['name'], StepName>> = {
    identify: 'identify',
    parties: 'parties',
    question: 'questions',
    consent: 'consent',
    document: 'documents',
    signature: 'signature',
    check: 'check',
  };
  const name = names[screen.name];
  if (name === undefined) return undefined;
  const steps = stepsFor(service);
  return { step: steps.indexOf(name) + 1, total: steps.length };
}
