import { describe, expect, it } from 'vitest';
import { embeddedCatalogue } from '../../kiosk-config/catalogue';
import type { Screen } from '../state/navigation';
import { nextScreen, stepOf } from './flow';

const service = embeddedCatalogue.services.find((s) => s.code === 'OLD-AGE-ALLOWANCE');
if (service === undefined) throw new Error('catalogue lacks 高龄津贴');

describe('journey flow', () => {
  it('walks notice → identify → parties → questions → consent → documents → signature → check', () => {
    const seen: string[] = [];
    let screen: Screen = { name: 'notice', serviceCode: service.code };
    while (screen.name !== 'submitted') {
      screen = nextScreen(screen, service);
      seen.push('index' in screen ? `${screen.name}${screen.index}` : screen.name);
    }
    expect(seen).toEqual([
      'identify',
      'parties',
      'question0',
      'question1',
      'question2',
      'question3',
      'question4',
      'consent',
      'document0',
      'document1',
      'signature',
      'check',
      'submitted',
    ]);
  });

  it('numbers the steps "3 of 7"', () => {
    expect(stepOf({ name: 'question', serviceCode: service.code, index: 2 }, service)).toEqual({ step: 3, total: 7 });
    expect(stepOf({ name: 'check', serviceCode: service.code }, service)).toEqual({ step: 7, total: 7 });
    expect(stepOf({ name: 'submitted', serviceCode: service.code }, service)).toBeUndefined();
  });
});
