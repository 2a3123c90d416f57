import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { screensDir, seriousViolations, viewports } from './browser';
import { uxViolations, viewportViolations } from './ux-audit';

/**
 * One resident screen held to the gallery's standard: axe finds nothing serious, docs/ux.md's numbers
 * hold, and in portrait and landscape every action is inside the viewport; photographed to
 * test-results/screens/`file`-<orientation>.png. The page is left in portrait.
 */
export async function auditScreen(
  page: Page,
  options: { readonly label: string; readonly largeText: boolean; readonly file: string },
): Promise<void> {
  const { label, largeText, file } = options;
  expect(await seriousViolations(page), label).toEqual([]);
  expect(await uxViolations(page, { largeText }), label).toEqual([]);
  for (const [orientation, size] of Object.entries(viewports)) {
    await page.setViewportSize(size);
    expect.soft(await viewportViolations(page), `${label} ${orientation}`).toEqual([]);
    await page.screenshot({ path: join(screensDir, `${file}-${orientation}.png`) });
  }
  await page.setViewportSize(viewports.portrait);
}
