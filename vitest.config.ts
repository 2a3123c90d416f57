import { defineConfig } from 'vitest/config';

// Four suites: unit tests sit beside their code; integration (PTYs, SQLite, loopback HTTP), security
// (the attacker's view) and end-to-end (Chromium through Playwright) live under test/.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            '{foundation,electron,renderer,drivers,kiosk-config,platform}/**/*.test.{ts,tsx}',
            'test/lint/**/*.test.ts',
          ],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          // Attacker tests against a running platform and kiosk: each fails when its protection is removed.
          name: 'security',
          include: ['test/security/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
