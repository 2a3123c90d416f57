import type { Page } from 'playwright-core';

/**
 * docs/ux.md's numbers, measured on the rendered page: every visible text ≥ 28 px (≥ 1.6 × that in
 * large-text mode) with line height ≥ 1.3; every button ≥ 44 × 44 px, primary ones ≥ 60 × 60 px.
 * Contrast is axe-core's `color-contrast` rule (see browser.ts). Returns the violations found.
 */
export async function uxViolations(page: Page, options: { largeText: boolean }): Promise<string[]> {
  return page.evaluate(
    ({ minText }) => {
      const problems: string[] = [];
      const visible = (el: Element) => {
        const rect = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return rect.width > 0 && rect.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
      };
      const describe = (el: Element) =>
        `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''} "${(el.textContent ?? '').trim().slice(0, 20)}"`;
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const seen = new Set<Element>();
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const el = node.parentElement;
        if (el === null || seen.has(el) || (node.textContent ?? '').trim() === '' || !visible(el)) continue;
        if (el.closest('[aria-hidden="true"], svg, .simple-keyboard, figure, .receipt-preview') !== null) continue;
        seen.add(el);
        const style = getComputedStyle(el);
        const size = parseFloat(style.fontSize);
        if (size < minText - 0.5) problems.push(`text ${size}px < ${minText}px: ${describe(el)}`);
        const lineHeight = style.lineHeight === 'normal' ? size * 1.2 : parseFloat(style.lineHeight);
        if (lineHeight / size < 1.3 - 0.01)
          problems.push(`line height ${(lineHeight / size).toFixed(2)} < 1.3: ${describe(el)}`);
      }
      for (const button of document.querySelectorAll('button, [role="button"]')) {
        if (!visible(button) || button.closest('.simple-keyboard') !== null) continue;
        const rect = button.getBoundingClientRect();
        const min = button.classList.contains('primary') ? 60 : 44;
        if (rect.width < min - 0.5 || rect.height < min - 0.5)
          problems.push(`target ${Math.round(rect.width)}×${Math.round(rect.height)} < ${min}: ${describe(button)}`);
      }
      return problems;
    },
    { minText: options.largeText ? 28 * 1.6 : 28 },
  );
}

/**
 * docs/ux.md's "nothing below the fold", measured in the current viewport: the page itself does not
 * scroll; every visible button lies fully inside the viewport and answers a touch at each of its
 * corners (so no scrolling box clips it and nothing covers it); every visible line of text and
 * every control is what a touch at it reaches (nothing covers it, no box clips it) and none outside
 * the action bar runs under the bar; and no word of a service name is
 * broken across two lines (each part between the name's break marks sits on one line).
 */
export async function viewportViolations(page: Page): Promise<string[]> {
  // After a resize the screen settles in the next frame (long lists are cut into pages when their
  // room changes, paged-list.tsx): measure what a person sees, two frames on.
  await page.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
  );
  return page.evaluate(() => {
    const problems: string[] = [];
    const [width, height] = [window.innerWidth, window.innerHeight];
    const root = document.scrollingElement ?? document.documentElement;
    if (root.scrollHeight > height + 1 || root.scrollWidth > width + 1)
      problems.push(`page scrolls: ${root.scrollWidth}×${root.scrollHeight} in ${width}×${height}`);
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''} "${(el.textContent ?? '').trim().slice(0, 20)}"`;
    for (const button of document.querySelectorAll('button, [role="button"]')) {
      const style = getComputedStyle(button);
      const rect = button.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0 || style.visibility === 'hidden' || style.display === 'none') continue;
      // Under an overlay (the staff PIN pad) the screen is inert: out of reach on purpose, not covered by mistake.
      if (button.closest('.simple-keyboard, [aria-hidden="true"], [inert]') !== null) continue;
      if (rect.left < -0.5 || rect.top < -0.5 || rect.right > width + 0.5 || rect.bottom > height + 0.5) {
        problems.push(
          `outside the viewport (${Math.round(rect.left)},${Math.round(rect.top)}–${Math.round(rect.right)},${Math.round(rect.bottom)}): ${describe(button)}`,
        );
        continue;
      }
      // Hit-testing follows rounded corners: probe where the rounding ends (at least 3 px in).
      const inset = Math.min(Math.max(3, parseFloat(style.borderTopLeftRadius) || 0), rect.width / 2, rect.height / 2);
      const corners: Array<[number, number]> = [
        [rect.left + inset, rect.top + inset],
        [rect.right - inset, rect.top + inset],
        [rect.left + inset, rect.bottom - inset],
        [rect.right - inset, rect.bottom - inset],
      ];
      const hidden = corners.filter(([x, y]) => {
        const hit = document.elementFromPoint(x, y);
        return hit === null || (hit !== button && !button.contains(hit));
      });
      if (hidden.length > 0) problems.push(`clipped or covered at ${hidden.length} corner(s): ${describe(button)}`);
    }
    // Every visible line of text and every control shows itself where it lies: probed at the middle
    // and near both ends of each line, the topmost element there is the text's own element (or one
    // inside or around it). A box drawn over it, or a column that runs on under the action bar or
    // out of its own clipping box, puts something else there. Content outside the action bar must
    // also stay clear of the bar's box: text under the bar's empty padding still hits itself (a
    // later block's background does not hit-test over earlier text) yet reads as under the bar.
    const bars = [...document.querySelectorAll('.action-bar')].map((bar) => bar.getBoundingClientRect());
    const boxes: Array<{ readonly el: Element; readonly rects: DOMRect[] }> = [];
    const textWalker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = textWalker.nextNode(); node !== null; node = textWalker.nextNode()) {
      const el = node.parentElement;
      if (el === null || (node.textContent ?? '').trim() === '') continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      boxes.push({ el, rects: [...range.getClientRects()].filter((r) => r.width > 1 && r.height > 1) });
    }
    for (const control of document.querySelectorAll('button, [role="button"], input, select, textarea'))
      boxes.push({ el: control, rects: [control.getBoundingClientRect()] });
    const reported = new Set<Element>();
    for (const { el, rects } of boxes) {
      if (reported.has(el) || rects.length === 0) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || parseFloat(style.opacity) === 0) continue;
      // Inert under an overlay on purpose; the on-screen keyboard's keys are drawn by its library.
      if (el.closest('.simple-keyboard, [aria-hidden="true"], [inert]') !== null) continue;
      const inBar = el.closest('.action-bar') !== null;
      for (const rect of rects) {
        const y = rect.top + rect.height / 2;
        const xs = [
          rect.left + Math.min(4, rect.width / 2),
          rect.left + rect.width / 2,
          rect.right - Math.min(4, rect.width / 2),
        ];
        const covered = xs.some((x) => {
          if (x < 0 || y < 0 || x > width || y > height) return true;
          const hit = document.elementFromPoint(x, y);
          return hit === null || (hit !== el && !el.contains(hit) && !hit.contains(el));
        });
        const underBar =
          !inBar &&
          bars.some(
            (bar) =>
              rect.bottom > bar.top + 0.5 &&
              rect.top < bar.bottom - 0.5 &&
              rect.right > bar.left &&
              rect.left < bar.right,
          );
        if (covered || underBar) {
          const hit = document.elementFromPoint(rect.left + rect.width / 2, y);
          problems.push(
            `${underBar ? 'runs under the action bar' : 'covered or clipped'} at (${Math.round(rect.left)},${Math.round(rect.top)}–${Math.round(rect.right)},${Math.round(rect.bottom)})${hit !== null && hit !== el ? ` by ${describe(hit)}` : ''}: ${describe(el)}`,
          );
          reported.add(el);
          break;
        }
      }
    }
    for (const name of document.querySelectorAll<HTMLElement>('[data-service-name]')) {
      if (name.getClientRects().length === 0) continue;
      const parts = (name.dataset['serviceName'] ?? '').split('\u200b');
      // The parts are rendered in order, separated by <wbr>: find each one's characters in the text nodes.
      const walker = document.createTreeWalker(name, NodeFilter.SHOW_TEXT);
      const nodes: Text[] = [];
      for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) nodes.push(n as Text);
      let nodeIndex = 0;
      for (const part of parts) {
        const node = nodes[nodeIndex++];
        if (node === undefined || node.data !== part) {
          problems.push(`service name "${name.textContent ?? ''}" does not render its parts in order`);
          break;
        }
        const range = document.createRange();
        range.selectNodeContents(node);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1)
          problems.push(`service name word "${part}" broken across lines in "${name.textContent ?? ''}"`);
      }
    }
    return problems;
  });
}
