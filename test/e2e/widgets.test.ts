import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { preact } from '@preact/preset-vite';
import { chromium as playwright, type Browser, type Page } from 'playwright-core';
import QRCode from 'qrcode';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../electron/host/host-security';
import { handwritingTemplates } from '../../vite-plugins/handwriting-templates';
import { launchChromium, screensDir, seriousViolations, viewports } from '../support/browser';
import { writeCharacter } from '../support/handwriting';
import { repoRoot } from '../support/kiosk-process';

/**
 * The input widgets in Chromium, one at a time, from a harness page built with Vite and served
 * with the kiosk's own Content-Security-Policy (style-src 'self': no injected <style>).
 * Chromium's fake camera stands in for the document camera; for the QR scanner a second Chromium
 * plays a generated video of a QR code as its camera.
 */
let workDir: string;
let server: Server;
let origin: string;
let chromium: { browser: Browser; close(): Promise<void> };

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

function serve(root: string): Promise<{ server: Server; origin: string }> {
  const srv = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    const file = join(root, path === '/' ? 'index.html' : path);
    try {
      if (!file.startsWith(root) || !statSync(file).isFile()) throw new Error('not found');
      res.writeHead(200, {
        'Content-Type': types[extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': contentSecurityPolicy(origin),
      });
      res.end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      resolve({
        server: srv,
        origin: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`,
      });
    }),
  );
}

/** A Y4M video (what Chromium's fake camera plays) showing one QR code on white. */
function qrVideo(text: string, path: string): void {
  const [width, height] = [640, 480];
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const modules = qr.modules.size;
  const scale = Math.floor(360 / (modules + 8));
  const left = Math.floor((width - modules * scale) / 2);
  const top = Math.floor((height - modules * scale) / 2);
  const luma = Buffer.alloc(width * height, 235);
  for (let y = 0; y < modules * scale; y++) {
    for (let x = 0; x < modules * scale; x++) {
      if (qr.modules.get(Math.floor(y / scale), Math.floor(x / scale))) luma[(top + y) * width + left + x] = 16;
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  writeFileSync(
    path,
    Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]),
  );
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'kiosk-widgets-'));
  const outDir = join(workDir, 'site');
  await build({
    configFile: false,
    root: join(repoRoot, 'test/e2e/widget-harness'),
    base: './',
    logLevel: 'warn',
    plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false }), handwritingTemplates()],
    build: {
      outDir,
      emptyOutDir: true,
      target: 'chrome120',
      reportCompressedSize: false,
      modulePreload: { polyfill: false },
    },
  });
  ({ server, origin } = await serve(outDir));
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await new Promise((done) => (server === undefined ? done(undefined) : server.close(done)));
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

async function open(widget: string, query = '', browser = chromium.browser): Promise<Page> {
  const context = await browser.newContext({ viewport: viewports.portrait, permissions: ['camera'] });
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(`${origin}/?widget=${widget}${query}`);
  await page.waitForSelector('[data-screen]');
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(screensDir, { recursive: true });
  await page.screenshot({ path: join(screensDir, `widget-${name}.png`) });
}

const harness = <K extends keyof Window['harness']>(page: Page, key: K) => page.evaluate((k) => window.harness[k], key);

/** Width and height from a PNG or JPEG data URL's header bytes. */
function imageSize(dataUrl: string): { type: string; width: number; height: number } {
  const bytes = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  if (bytes.subarray(1, 4).toString() === 'PNG')
    return { type: 'png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  for (let i = 2; i < bytes.length - 9;) {
    const marker = bytes[i + 1] ?? 0;
    if (marker >= 0xc0 && marker <= 0xc2)
      return { type: 'jpeg', height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
    i += 2 + bytes.readUInt16BE(i + 2);
  }
  return { type: 'unknown', width: 0, height: 0 };
}

describe('input widgets in Chromium', () => {
  it('numeric keypad: big keys, entry, X only last, delete and clear', async () => {
    const page = await open('keypad');
    const box = await page.getByTestId('keypad-5').boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(96);
    expect(box?.height).toBeGreaterThanOrEqual(96);
    for (const d of '11010519491231002') await page.getByTestId(`keypad-${d}`).click();
    expect(await page.getByTestId('keypad-1').isDisabled()).toBe(false);
    await page.getByTestId('keypad-x').click();
    await expect.poll(() => page.getByTestId('value').textContent()).toBe('11010519491231002X');
    expect(await page.getByTestId('keypad-1').isDisabled()).toBe(true);
    await page.getByTestId('keypad-delete').click();
    await expect.poll(() => harness(page, 'value')).toBe('11010519491231002');
    await shot(page, 'keypad');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('keypad-clear').click();
    await expect.poll(() => harness(page, 'value')).toBe('');
    expect(await page.getByTestId('keypad-x').isDisabled()).toBe(true);
    await page.context().close();
  });

  it('numeric keypad with a decimal point: one point, a leading 0, never past maxLength', async () => {
    const page = await open('keypad', '&decimal=1');
    await page.getByTestId('keypad-decimal').click();
    await page.getByTestId('keypad-5').click();
    await expect.poll(() => harness(page, 'value')).toBe('0.5');
    expect(await page.getByTestId('keypad-decimal').isDisabled()).toBe(true);
    await page.getByTestId('keypad-clear').click();
    for (const d of '123') await page.getByTestId(`keypad-${d}`).click();
    await page.getByTestId('keypad-decimal').click();
    await expect.poll(() => harness(page, 'value')).toBe('123.');
    expect(await page.getByTestId('keypad-4').isDisabled()).toBe(true);
    await page.context().close();
  });

  it('pinyin keyboard: loads on demand under the CSP, pinyin → candidate → 中, English letters and digits', async () => {
    const page = await open('keyboard');
    await page.waitForSelector('[data-skbtn="z"]');
    const key = await page.locator('[data-skbtn="z"]').boundingBox();
    expect(key?.height).toBeGreaterThanOrEqual(96);
    expect(key?.width).toBeGreaterThanOrEqual(80);
    // simple-keyboard's own stylesheet arrived as a file (no inline <style>): its rows are flex.
    expect(
      await page
        .locator('.hg-row')
        .first()
        .evaluate((e) => getComputedStyle(e).display),
    ).toBe('flex');
    for (const k of 'zhong') await page.locator(`[data-skbtn="${k}"]`).click();
    await expect.poll(() => page.getByTestId('composing').textContent()).toContain('zhong');
    expect(await harness(page, 'value')).toBe('');
    await shot(page, 'keyboard-candidates');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('candidate-0').click();
    await expect.poll(() => harness(page, 'value')).toBe('中');
    for (const k of 'guo') await page.locator(`[data-skbtn="${k}"]`).click();
    await page.locator('[data-skbtn="{space}"]').click();
    await expect.poll(() => harness(page, 'value')).toBe('中国');
    await page.locator('[data-skbtn="{lang}"]').click();
    await page.locator('[data-skbtn="{shift}"]').click();
    await page.locator('[data-skbtn="A"]').click();
    await page.locator('[data-skbtn="3"]').click();
    await expect.poll(() => harness(page, 'value')).toBe('中国A3');
    await page.locator('[data-skbtn="{bksp}"]').click();
    await expect.poll(() => harness(page, 'value')).toBe('中国A');
    await shot(page, 'keyboard-latin');
    expect(await harness(page, 'cspViolations')).toEqual([]);
    await page.context().close();
  });

  it('handwriting pad: a character written along its stroke medians is offered and chosen; 重写 and 删除', async () => {
    const page = await open('handwriting');
    const pad = page.getByTestId('handwriting-pad');
    await expect.poll(() => pad.getAttribute('data-ready'), { timeout: 20_000 }).toBe('true');
    const canvas = page.getByTestId('handwriting-canvas');
    const box = await canvas.boundingBox();
    if (box === null) throw new Error('no canvas');
    expect(box.width).toBeGreaterThanOrEqual(400);
    const write = (character: string) => writeCharacter(page, character);
    const offered = () => page.locator('.handwriting-candidate').allTextContents();

    await write('王');
    await expect.poll(offered).toContain('王');
    const candidates = await offered();
    expect(candidates.indexOf('王')).toBeLessThan(5);
    const key = await page.locator('.handwriting-candidate').first().boundingBox();
    expect(key?.width).toBeGreaterThanOrEqual(96);
    expect(key?.height).toBeGreaterThanOrEqual(96);
    await shot(page, 'handwriting-candidates');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId(`handwriting-candidate-${candidates.indexOf('王')}`).click();
    await expect.poll(() => harness(page, 'value')).toBe('王');
    expect(await canvas.getAttribute('data-strokes')).toBe('0');
    expect(await offered()).toEqual([]);

    await write('村');
    await expect.poll(offered).toContain('村');
    await page.locator('.handwriting-candidate', { hasText: '村' }).click();
    await expect.poll(() => harness(page, 'value')).toBe('王村');

    // 重写 empties the box without touching the text; 删除 takes the last character off.
    await write('一');
    await page.getByTestId('handwriting-clear').click();
    await expect.poll(() => canvas.getAttribute('data-strokes')).toBe('0');
    expect(await offered()).toEqual([]);
    expect(await page.getByTestId('handwriting-clear').isDisabled()).toBe(true);
    await page.getByTestId('handwriting-delete').click();
    await expect.poll(() => harness(page, 'value')).toBe('王');
    await page.setViewportSize(viewports.landscape);
    await shot(page, 'handwriting-landscape');
    // Large text: bigger keys, still nothing wider than the screen.
    await page.setViewportSize(viewports.portrait);
    await page.evaluate(() => document.documentElement.classList.add('large-text'));
    await write('王');
    await expect.poll(offered).toContain('王');
    await shot(page, 'handwriting-large');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      viewports.portrait.width,
    );
    expect((await page.locator('.handwriting-candidate').first().boundingBox())?.height).toBeGreaterThanOrEqual(112);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await harness(page, 'cspViolations')).toEqual([]);
    await page.context().close();
  });

  it('signature pad: strokes give a PNG, undo takes the last stroke, clear empties it', async () => {
    const page = await open('signature');
    const canvas = page.getByTestId('signature-canvas');
    const box = await canvas.boundingBox();
    if (box === null) throw new Error('no canvas');
    const stroke = async (points: Array<[number, number]>) => {
      const [first, ...rest] = points;
      if (first === undefined) return;
      await page.mouse.move(box.x + first[0], box.y + first[1]);
      await page.mouse.down();
      for (const [x, y] of rest) await page.mouse.move(box.x + x, box.y + y, { steps: 6 });
      await page.mouse.up();
    };
    await stroke([
      [120, 200],
      [220, 120],
      [320, 230],
      [420, 140],
      [520, 220],
    ]);
    await stroke([
      [600, 120],
      [640, 240],
      [700, 150],
    ]);
    await expect.poll(() => canvas.getAttribute('data-strokes')).toBe('2');
    const png = await harness(page, 'signature');
    expect(png).toMatch(/^data:image\/png;base64,/);
    expect(imageSize(png ?? '')).toMatchObject({
      type: 'png',
      width: Math.round(box.width),
      height: Math.round(box.height),
    });
    // The ink really is on the canvas (dark pixels where the strokes ran).
    const dark = await canvas.evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 128) n++;
      return n;
    });
    expect(dark).toBeGreaterThan(500);
    await shot(page, 'signature');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('signature-undo').click();
    await expect.poll(() => canvas.getAttribute('data-strokes')).toBe('1');
    expect(await harness(page, 'signature')).not.toBe(png);
    await page.getByTestId('signature-clear').click();
    await expect.poll(() => harness(page, 'signature')).toBeNull();
    expect(await page.getByTestId('signature-undo').isDisabled()).toBe(true);
    await page.context().close();
  });

  it('camera: live preview with guide, capture → preview → retake/use, JPEG ≤ 1600 px and < 400 KB', async () => {
    const page = await open('camera');
    const shutter = page.getByTestId('camera-capture-button');
    await expect.poll(() => shutter.isEnabled(), { timeout: 20_000 }).toBe(true);
    await shot(page, 'camera-live');
    expect(await seriousViolations(page)).toEqual([]);
    await shutter.click();
    await page.getByTestId('camera-photo').waitFor();
    await shot(page, 'camera-preview');
    await page.getByTestId('camera-retake').click();
    await shutter.click();
    await page.getByTestId('camera-use').click();
    await expect.poll(() => harness(page, 'photo').then((p) => p !== null)).toBe(true);
    const photo = await harness(page, 'photo');
    if (photo === null) throw new Error('no photo');
    const size = imageSize(photo.dataUrl);
    expect(size).toEqual({ type: 'jpeg', width: photo.width, height: photo.height });
    expect(Math.max(photo.width, photo.height)).toBeLessThanOrEqual(1600);
    expect(photo.bytes).toBeLessThan(400_000);
    expect(Buffer.from(photo.dataUrl.split(',')[1] ?? '', 'base64').length).toBe(photo.bytes);
    // Using the photo turns the camera off.
    expect(
      await page
        .getByTestId('camera-video')
        .evaluate(
          (v: HTMLVideoElement) =>
            (v.srcObject as MediaStream | null)?.getVideoTracks().every((t) => t.readyState === 'ended') ?? true,
        ),
    ).toBe(true);
    expect(await harness(page, 'cspViolations')).toEqual([]);
    await page.context().close();
  });

  it('camera: face oval guide, and a clear message when the configured camera is missing', async () => {
    const page = await open('face', '&lang=en');
    await expect.poll(() => page.getByTestId('camera-capture-button').isEnabled(), { timeout: 20_000 }).toBe(true);
    await shot(page, 'camera-face-en');
    await page.context().close();
    const missing = await open('camera', '&label=Document%20Camera%20HD');
    await expect
      .poll(() => missing.getByTestId('camera-problem').getAttribute('data-problem'), { timeout: 20_000 })
      .toBe('no-camera');
    await shot(missing, 'camera-missing');
    expect(await seriousViolations(missing)).toEqual([]);
    await missing.context().close();
  });

  it('wedge scanner: a fast burst becomes a scan and none of its keys are left for the page; typing passes', async () => {
    const page = await open('wedge');
    await page.getByTestId('field').focus();
    const cancelled = await page.evaluate(() => {
      const results: boolean[] = [];
      for (const key of [...'RCPT-2026-0042', 'Enter']) {
        results.push(
          document.activeElement?.dispatchEvent(
            new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }),
          ) === false,
        );
      }
      return results;
    });
    expect(cancelled.every(Boolean)).toBe(true);
    await expect.poll(() => harness(page, 'scans')).toEqual(['RCPT-2026-0042']);
    // A person typing at keyboard speed: the keys reach the field, nothing is scanned.
    await page.keyboard.type('1234', { delay: 90 });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('field').inputValue()).toBe('1234');
    expect(await harness(page, 'scans')).toEqual(['RCPT-2026-0042']);
    await page.context().close();
  });

  it('voice: without browser voices the service speaks, at the volume chosen; the controls repeat and stop', async () => {
    const page = await open('voice');
    // Said before the speaker is chosen (voices load asynchronously): spoken once it is.
    await page.getByTestId('say').click();
    await expect.poll(() => page.getByTestId('voice-kind').textContent(), { timeout: 10_000 }).not.toBe('none');
    const kind = await page.getByTestId('voice-kind').textContent();
    await page.getByTestId('voice-louder').click();
    await expect.poll(() => page.getByTestId('voice-volume').textContent()).toBe('音量 100%');
    expect(await page.getByTestId('voice-louder').isDisabled()).toBe(true);
    await page.getByTestId('voice-repeat').click();
    await page.getByTestId('voice-stop').click();
    await page.getByTestId('voice-toggle').click();
    await page.getByTestId('say').click(); // voice off: nothing is said
    await shot(page, 'voice-controls');
    expect(await seriousViolations(page)).toEqual([]);
    const text = '请把身份证放在读卡器上';
    if (kind === 'service') {
      await expect
        .poll(() => harness(page, 'speechCalls'))
        .toEqual([
          { method: 'speech.speak', params: { text, language: 'zh-CN', volume: 0.8 } },
          { method: 'speech.speak', params: { text, language: 'zh-CN', volume: 1 } },
          { method: 'speech.stop', params: {} },
          { method: 'speech.stop', params: {} },
        ]);
    } else {
      expect(kind).toBe('web-speech'); // a Chromium with Mandarin and English voices installed
      expect(await harness(page, 'speechCalls')).toEqual([]);
    }
    await page.context().close();
  });

  /** A Chromium whose fake camera shows a still picture of a paper with a QR code on it. */
  const launchWithStillPaper = (text: string, name: string): Promise<Browser> => {
    const video = join(workDir, `${name}.y4m`);
    qrVideo(text, video);
    return playwright.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
  };

  it('camera takes the photo by itself once the paper lies still; after 重拍 a tap takes it again', async () => {
    const browser = await launchWithStillPaper('a paper lying still', 'paper');
    try {
      const page = await open('camera', '', browser);
      // No tap: the still picture is taken by itself (the moving default fake camera never is).
      await page.getByTestId('camera-photo').waitFor({ timeout: 20_000 });
      await shot(page, 'camera-auto');
      await page.getByTestId('camera-retake').click();
      // The same still scene is not taken again at once: it has to move first; the button still works.
      expect(await page.getByTestId('camera-capture').getAttribute('data-steadiness')).toBe('moving');
      await page.getByTestId('camera-capture-button').click();
      await page.getByTestId('camera-use').click();
      await expect.poll(() => harness(page, 'photo').then((p) => p !== null)).toBe(true);
    } finally {
      await browser.close();
    }
  });

  it('QR camera scanner decodes a receipt code from the camera', async () => {
    const browser = await launchWithStillPaper('KQ1:RCPT-2026-0042:abcdef', 'qr');
    try {
      const page = await open('qr', '', browser);
      await expect.poll(() => harness(page, 'decoded'), { timeout: 20_000 }).toEqual(['KQ1:RCPT-2026-0042:abcdef']);
      await shot(page, 'qr-scanner');
    } finally {
      await browser.close();
    }
  });

  it('keypad and keyboard in large-text mode stay within the portrait screen', async () => {
    const page = await open('keyboard', '&large=1');
    await page.waitForSelector('[data-skbtn="z"]');
    await shot(page, 'keyboard-large');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(viewports.portrait.width);
    await page.context().close();
  });
});
