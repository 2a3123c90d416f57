import { toChildArray, type ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n';
import { listPages, pageOf, type ItemBox } from './list-pages';

/**
 * A list that never runs below the action bar: it takes the room its screen leaves it and, when
 * its items do not all fit (large text, landscape, a long catalogue), shows them a page at a time
 * with 上一页 / 下一页 under the list, instead of a scroll an elderly person would not find
 * (issue 12, "nothing below the fold"). Pages are measured, not counted, so they follow the
 * language, the text size and the orientation.
 */
export interface PagedListProps {
  /** The list's own class (tile-grid, choice-list, check-list): its layout applies to the items. */
  readonly class: string;
  /** ul for lists of facts (the check list), div for lists of buttons. */
  readonly as?: 'ul' | 'div';
  /**
   * Only the first page, without 上一页 / 下一页: for a list that is a sample of something the screen
   * counts elsewhere (the idle screen's most used services, its heading says how many there are),
   * where a pager would be one more thing to find and the items that do not fit are no loss.
   */
  readonly firstPageOnly?: boolean;
  readonly children: ComponentChildren;
}

/** Where the pages start, and what they were cut from. */
interface Cut {
  readonly request: number;
  readonly starts: readonly number[];
  readonly boxes: readonly ItemBox[];
  readonly full: number;
  readonly gap: number;
  readonly pagerHeight: number;
}

export function PagedList(props: PagedListProps) {
  const { t } = useI18n();
  const items = toChildArray(props.children);
  const outer = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLElement>(null);
  const pager = useRef<HTMLDivElement>(null);
  // Each request to cut the pages again has a number; while the cut is older than the last request,
  // every item is laid out once so the pages can be cut where items end. (A counter, not a null
  // flag: two updates that cancel out would let Preact skip the render that measures.)
  const [request, setRequest] = useState(0);
  const [cut, setCut] = useState<Cut | null>(null);
  const starts = cut !== null && cut.request === request ? cut.starts : null;
  // The first item the person saw stays on screen when the pages are cut again.
  const [shownItem, setShownItem] = useState(0);

  useLayoutEffect(() => {
    if (starts !== null || list.current === null || outer.current === null) return;
    const top = list.current.getBoundingClientRect().top;
    const boxes = [...list.current.children].map((child) => {
      const rect = child.getBoundingClientRect();
      return { top: rect.top - top, bottom: rect.bottom - top, keepWithNext: /^H[1-6]$/.test(child.tagName) };
    });
    const full = outer.current.clientHeight;
    const gap = parseFloat(getComputedStyle(outer.current).rowGap) || 0;
    const pagerHeight = props.firstPageOnly === true ? 0 : (pager.current?.offsetHeight ?? 0);
    setCut({ request, boxes, full, gap, pagerHeight, starts: listPages(boxes, full, full - pagerHeight - gap) });
  }, [starts, request]);

  // The pager as shown can be taller than while it was measured (its words wrap in a narrow column,
  // 办好了's side in landscape): cut again for the height it really takes, or it runs out of the room.
  useLayoutEffect(() => {
    if (cut === null || starts === null || pager.current === null) return;
    const shown = pager.current.offsetHeight;
    if (shown > cut.pagerHeight)
      setCut({ ...cut, pagerHeight: shown, starts: listPages(cut.boxes, cut.full, cut.full - shown - cut.gap) });
  });

  // Cut again when the room changes (orientation, a banner) or the words do (language, text size, fonts).
  useEffect(() => {
    const element = outer.current;
    if (element === null) return;
    const remeasure = () => setRequest((r) => r + 1);
    let size = '';
    const resizes = new ResizeObserver(() => {
      const rect = element.getBoundingClientRect();
      const next = `${Math.round(rect.width)}×${Math.round(rect.height)}`;
      if (next !== size) {
        size = next;
        remeasure();
      }
    });
    resizes.observe(element);
    const words = new MutationObserver(remeasure);
    words.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'lang'] });
    void document.fonts.ready.then(remeasure);
    return () => {
      resizes.disconnect();
      words.disconnect();
    };
  }, []);
  useEffect(() => setRequest((r) => r + 1), [items.length]);

  const page = starts === null ? 0 : pageOf(starts, shownItem);
  const begin = starts === null ? 0 : (starts[page] ?? 0);
  const end = starts === null ? items.length : (starts[page + 1] ?? items.length);
  const paged = props.firstPageOnly !== true && (starts === null || starts.length > 1);
  const List = props.as ?? 'div';
  return (
    <div class="paged-list" ref={outer}>
      <List class={`${props.class} paged-items`} ref={list as never}>
        {items.slice(begin, end)}
      </List>
      {paged && (
        // While measuring, the pager is laid out out of the flow only to learn its height. No page
        // counter: the bottom bar's step counter stays the only one; 下一页 says how many are left.
        // A button with nowhere to go is hidden, not disabled, and keeps its place.
        <div class={starts === null ? 'pager measuring' : 'pager'} ref={pager} data-testid="pager">
          <button
            type="button"
            data-testid="page-previous"
            class={page === 0 ? 'unavailable' : undefined}
            onClick={() => setShownItem(starts?.[page - 1] ?? 0)}
          >
            ↑ {t('list.previousPage')}
          </button>
          <button
            type="button"
            data-testid="page-next"
            class={starts !== null && page === starts.length - 1 ? 'unavailable' : undefined}
            onClick={() => setShownItem(starts?.[page + 1] ?? shownItem)}
          >
            {t('list.nextPage', { count: items.length - end })} ↓
          </button>
        </div>
      )}
    </div>
  );
}
