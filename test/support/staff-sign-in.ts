import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Staff mode as staff open it: five taps in the top-left corner, then the PIN on the pad. */
export async function staffSignIn(page: Page, pin: string, expectedScreen: string): Promise<void> {
  const screen = () => page.locator('[data-screen]').first().getAttribute('data-screen');
  for (let i = 0; i < 5; i++) await page.mouse.click(20 + i, 20);
  await expect.poll(screen).toBe('staff-pin');
  for (const digit of pin) await page.getByTestId(`keypad-${digit}`).click();
  await page.getByTestId('pin-ok').click();
  await expect.poll(screen).toBe(expectedScreen);
}
