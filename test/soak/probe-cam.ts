import { launchChromium, openKiosk } from '../support/browser';
import { JourneyDriver } from '../support/journey-driver';
import { realTimeScript } from './figures';
import { chromiumJourney, plan } from './journeys';
import { startSoakKiosk } from './soak-kiosk-process';
const kiosk = await startSoakKiosk({});
const chromium = await launchChromium();
try {
  const { page } = await openKiosk(chromium.browser, kiosk.launchUrl(), {
    fakeClock: true,
    initScript: realTimeScript,
  });
  const driver = await new JourneyDriver(page, kiosk).init();
  for (const i of [2, 3]) {
    try {
      await chromiumJourney(driver, page, plan(i), 120_000);
      console.log('ok', i);
    } catch (e) {
      console.log('fail', i, (e as Error).message.split('\n')[0]);
      await page.screenshot({ path: '/tmp/soak-cam.png' });
      console.log(
        await page.getByTestId('camera-capture-button').evaluate((b) => {
          const r = b.getBoundingClientRect();
          return JSON.stringify({
            r,
            dis: (b as HTMLButtonElement).disabled,
            at: document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)?.outerHTML.slice(0, 200),
          });
        }),
      );
    }
  }
} finally {
  await chromium.close();
  await kiosk.stop();
}
