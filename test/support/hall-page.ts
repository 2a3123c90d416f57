import type { BrowserContext, Page } from 'playwright-core';
import { officerPassword } from './hall-client';

/**
 * A hall officer's 远程帮办 page, signed in as a person does it: the page sends them to the sign-in
 * form first, then back. A page error fails the test that opened it.
 */
export async function signedInHallPage(context: BrowserContext, platformUrl: string, name = 'li.na'): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(`${platformUrl}/hall/remote-help`);
  await page.waitForURL(/\/hall\/login\?next=/);
  await page.locator('#name').fill(name);
  await page.locator('#password').fill(officerPassword);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL(/\/hall\/remote-help$/);
  return page;
}
