import { describe, expect, it } from 'vitest';
import { encodePeerMessage, parsePeerMessage } from '../../foundation/remote-help-peer';
import { buildMirror, findMirrorElement, maxMirrorItems, type MirrorElement } from './mirror';

/** A small element tree with the few DOM members the walk reads. */
function h(tagName: string, attributes: Record<string, string> = {}, ...content: Array<MirrorElement | string>) {
  const children = content.filter((c): c is MirrorElement => typeof c !== 'string');
  const text = (): string => content.map((c) => (typeof c === 'string' ? c : (c.textContent ?? ''))).join('');
  const el: MirrorElement = {
    tagName: tagName.toUpperCase(),
    getAttribute: (name) => attributes[name] ?? null,
    children,
    get textContent() {
      return text();
    },
  };
  return el;
}

const questionScreen = h(
  'main',
  {},
  h(
    'section',
    {},
    h('h1', { 'data-speak': '' }, '您的手机号码'),
    h('p', { class: 'instruction' }, '用下面的数字键输入'),
    h('output', { 'data-help-id': 'answer:phone', 'data-help-label': '您的手机号码' }, '138 0013 8000'),
    h('div', { 'aria-hidden': 'true' }, h('p', {}, '装饰')),
    h('p', { hidden: '' }, '看不见'),
  ),
  h(
    'div',
    { class: 'keypad' },
    h('button', { 'data-testid': 'key-1' }, '1'),
    h('button', { 'data-testid': 'next', disabled: '' }, '下一步'),
  ),
  h(
    'div',
    {},
    h('button', { 'aria-pressed': 'true', 'data-testid': 'answer-yes' }, '是'),
    h('button', { 'aria-pressed': 'false' }, '否'),
  ),
);

describe('the screen mirror', () => {
  it('lists what is on screen in reading order: headings, texts, fields as shown, buttons and choices', () => {
    expect(buildMirror(questionScreen, 'question', 'zh')).toEqual({
      screen: 'question',
      language: 'zh',
      items: [
        { id: 'heading-1', role: 'heading', label: '您的手机号码' },
        { id: 'text-1', role: 'text', label: '用下面的数字键输入' },
        { id: 'answer:phone', role: 'field', label: '您的手机号码', value: '138 0013 8000' },
        { id: 'key-1', role: 'button', label: '1' },
        { id: 'next', role: 'button', label: '下一步', disabled: true },
        { id: 'answer-yes', role: 'choice', label: '是', selected: true },
        { id: 'choice-2', role: 'choice', label: '否', selected: false },
      ],
    });
  });

  it('finds the element an item names by the same walk', () => {
    const next = findMirrorElement(questionScreen, 'next');
    expect(next?.textContent).toBe('下一步');
    expect(findMirrorElement(questionScreen, 'choice-2')?.textContent).toBe('否');
    expect(findMirrorElement(questionScreen, 'gone')).toBeNull();
    // Hidden things cannot be pointed at either.
    expect(findMirrorElement(questionScreen, 'text-2')).toBeNull();
  });

  it('tells apart two elements with one test id', () => {
    const list = h('ul', {}, h('li', { 'data-testid': 'row' }, '甲'), h('li', { 'data-testid': 'row' }, '乙'));
    expect(buildMirror(list, 's', 'zh').items.map((i) => i.id)).toEqual(['row', 'row#2']);
    expect(findMirrorElement(list, 'row#2')?.textContent).toBe('乙');
  });

  it('stays within what the officer’s page accepts (item count, text lengths)', () => {
    const many = h('div', {}, ...Array.from({ length: 400 }, (_, i) => h('p', {}, `第${i}行`)));
    expect(buildMirror(many, 's', 'zh').items).toHaveLength(maxMirrorItems);
    const long = h('div', {}, ...Array.from({ length: 400 }, (_, i) => h('p', {}, `第${i}行 ${'字'.repeat(600)}`)));
    const mirror = buildMirror(long, 'x'.repeat(100), 'zh');
    expect(mirror.items.length).toBeGreaterThan(50);
    expect(mirror.items[0]?.label).toHaveLength(500);
    const text = encodePeerMessage({ t: 'mirror', seq: 1, mirror });
    expect(text).not.toBeNull();
    expect(parsePeerMessage(text)).not.toBeNull();
  });

  it('a group of choices is a field with the chosen value, and its choices are items too', () => {
    const root = h(
      'div',
      { 'data-help-field': '', 'data-help-id': 'answer:kind', 'data-help-label': '哪一种', 'data-help-value': '低保' },
      h('button', { 'aria-pressed': 'true' }, '低保'),
      h('button', { 'aria-pressed': 'false' }, '特困'),
    );
    expect(buildMirror(root, 's', 'zh').items).toEqual([
      { id: 'answer:kind', role: 'field', label: '哪一种', value: '低保' },
      { id: 'choice-1', role: 'choice', label: '低保', selected: true },
      { id: 'choice-2', role: 'choice', label: '特困', selected: false },
    ]);
  });

  it('skips empty texts and never mirrors what is not shown', () => {
    const root = h(
      'div',
      {},
      h('p', {}, '   '),
      h('section', { inert: '' }, h('button', {}, '后面的')),
      h('h2', {}, '标题'),
    );
    expect(buildMirror(root, 's', 'en').items).toEqual([{ id: 'heading-1', role: 'heading', label: '标题' }]);
  });
});
