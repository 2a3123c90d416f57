import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { readTemplates } from '../../vite-plugins/handwriting-templates';

/**
 * Writes `character` on the handwriting pad as a finger would: the mouse's pointer events along each
 * stroke median of the character's stroke data, in writing order, then waits until the pad has
 * taken every stroke.
 */
export async function writeCharacter(page: Page, character: string): Promise<void> {
  const canvas = page.getByTestId('handwriting-canvas');
  const box = await canvas.boundingBox();
  if (box === null) throw new Error('no handwriting canvas');
  const [template] = readTemplates([character]);
  if (template === undefined) throw new Error(`no stroke data for ${character}`);
  for (const median of template.strokes) {
    const at = (p: { x: number; y: number }) =>
      [box.x + box.width * (0.1 + (0.8 * p.x) / 1024), box.y + box.height * (0.1 + (0.8 * p.y) / 1024)] as const;
    const [first, ...rest] = median.map(at);
    if (first === undefined) continue;
    await page.mouse.move(...first);
    await page.mouse.down();
    for (const point of rest) await page.mouse.move(...point, { steps: 3 });
    await page.mouse.up();
  }
  await expect.poll(() => canvas.getAttribute('data-strokes')).toBe(String(template.strokes.length));
}
