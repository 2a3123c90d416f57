import { describe, expect, it } from 'vitest';
import { unitEnvironment } from './systemd-unit';

describe('unitEnvironment', () => {
  it('reads plain and quoted assignments, several on a line, as systemd does', () => {
    const unit = [
      '[Service]',
      'Environment=NODE_ENV=production',
      'Environment="NODE_OPTIONS=--max-semi-space-size=4 --max-old-space-size=256"',
      'Environment=A=1 "B=two words" C=',
      '# Environment=IGNORED=1',
    ].join('\n');
    expect(unitEnvironment(unit)).toEqual({
      NODE_ENV: 'production',
      NODE_OPTIONS: '--max-semi-space-size=4 --max-old-space-size=256',
      A: '1',
      B: 'two words',
      C: '',
    });
  });
});
