import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { consoleNodeOptions } from './console-command';

describe('console node options', () => {
  it('are the ones `npm run fleet` starts the console with', () => {
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['fleet']).toContain(`node ${consoleNodeOptions.join(' ')} dist/node/fleet.mjs`);
  });
});
