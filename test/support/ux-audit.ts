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
