import { describe, expect, it } from 'vitest';
import { listPages, pageOf } from './list-pages';

const rows = (heights: number[], gap = 10) => {
  let top = 0;
  return heights.map((h) => {
    const box = { top, bottom: top + h };
    top += h + gap;
    return box;
  });
};

describe('listPages', () => {
  it('keeps everything on one page when it fits without the pager', () => {
    expect(listPages(rows([100, 100, 100]), 320, 200)).toEqual([0]);
    expect(listPages([], 100, 50)).toEqual([0]);
  });

  it('starts a new page at the first item that does not fit the room left beside the pager', () => {
    // bottoms 100, 210, 320, 430, 540; 250 px per page once paged
    expect(listPages(rows([100, 100, 100, 100, 100]), 400, 250)).toEqual([0, 2, 4]);
  });

  it('breaks grids at rows: items in one row share a top and a bottom', () => {
    const grid = [
      { top: 0, bottom: 150 },
      { top: 0, bottom: 150 },
      { top: 170, bottom: 320 },
      { top: 170, bottom: 320 },
      { top: 340, bottom: 490 },
    ];
    expect(listPages(grid, 400, 330)).toEqual([0, 4]);
  });

  it('carries a heading over to the page of what it heads', () => {
    const boxes = [
      { top: 0, bottom: 50, keepWithNext: true },
      { top: 60, bottom: 160 },
      { top: 170, bottom: 220, keepWithNext: true },
      { top: 230, bottom: 330 },
    ];
    expect(listPages(boxes, 300, 250)).toEqual([0, 2]);
    // A page that would hold nothing but the heading keeps it.
    expect(
      listPages(
        [
          { top: 0, bottom: 50, keepWithNext: true },
          { top: 60, bottom: 400 },
        ],
        300,
        250,
      ),
    ).toEqual([0, 1]);
  });

  it('gives an item taller than a page a page of its own instead of looping', () => {
    expect(listPages(rows([500, 100]), 300, 200)).toEqual([0, 1]);
  });

  it('finds the page of an item', () => {
    expect(pageOf([0, 2, 4], 0)).toBe(0);
    expect(pageOf([0, 2, 4], 3)).toBe(1);
    expect(pageOf([0, 2, 4], 9)).toBe(2);
  });
});
