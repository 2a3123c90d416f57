/**
 * Splits a list into pages that each fit a height, from where each item lies when all are laid out
 * one after another (a grid's items in one row share a top, so a page always starts at a row).
 * Returns the index of each page's first item; [0] when everything fits.
 */
export interface ItemBox {
  /** Offset of the item's top from the list's top, px. */
  readonly top: number;
  /** Offset of the item's bottom from the list's top, px. */
  readonly bottom: number;
  /** A heading: it never ends a page, it goes over with what it heads. */
  readonly keepWithNext?: boolean;
}

export function listPages(items: readonly ItemBox[], fullHeight: number, pagedHeight: number): number[] {
  const last = items[items.length - 1];
  if (last === undefined || last.bottom <= fullHeight) return [0];
  const starts = [0];
  let pageTop = items[0]?.top ?? 0;
  items.forEach((item, index) => {
    // An item taller than a page still gets a page of its own rather than none.
    const pageStart = starts[starts.length - 1] ?? 0;
    if (index > pageStart && item.bottom - pageTop > pagedHeight) {
      // Headings just before the break go to the new page, unless they are all the page has.
      let start = index;
      while (start - 1 > pageStart && items[start - 1]?.keepWithNext === true) start--;
      starts.push(start);
      pageTop = items[start]?.top ?? item.top;
    }
  });
  return starts;
}

/** The page that shows item `index`. */
export function pageOf(starts: readonly number[], index: number): number {
  let page = 0;
  starts.forEach((start, p) => {
    if (start <= index) page = p;
  });
  return page;
}
