import { describe, expect, it } from 'vitest';
import { translator } from '../i18n/i18n';
import { helpLine, itemLine, moveFocus, screenLine, sentences, stepRate, typedLine } from './keypad-words';

const zh = translator('zh-CN');
const en = translator('en');
const self = { name: '给我自己办', pressed: false, disabled: false };

describe('the words of the audio keypad mode', () => {
  it('says an item with its position, its role and its state, in Chinese and English', () => {
    expect(itemLine(zh, self, 2, 4)).toBe('第 2 项，共 4 项：给我自己办，按钮');
    expect(itemLine(en, { name: 'For myself', pressed: false, disabled: false }, 2, 4)).toBe(
      'Item 2 of 4: For myself, button',
    );
    expect(itemLine(zh, { name: '是', pressed: true, disabled: false }, 1, 2)).toBe(
      '第 1 项，共 2 项：是，按钮，已选中',
    );
    expect(itemLine(en, { name: '7', pressed: false, disabled: true }, 7, 12)).toBe(
      'Item 7 of 12: 7, button, not available now',
    );
  });

  it('opens a screen with its heading, its instruction, how many choices and the focused item', () => {
    const screen = {
      heading: '给谁办？',
      texts: ['给谁办？', '请选一项'],
      items: [self, { name: '给家里人办', pressed: false, disabled: false }],
      focus: 0,
    };
    expect(screenLine(zh, screen)).toBe(
      '给谁办？ 请选一项。 本页有 2 项可选，按上键、下键选择。 第 1 项，共 2 项：给我自己办，按钮。',
    );
    expect(screenLine(en, { heading: 'Who is it for?', texts: [], items: [], focus: null })).toBe(
      'Who is it for? There is nothing to choose here; press back to go back.',
    );
    expect(helpLine(zh, screen)).toContain('请选一项。 本页有 2 项可选');
    expect(helpLine(en, { ...screen, heading: 'Who?' })).toMatch(/Press up or down to move, enter to choose/);
  });

  it('reads a typed key and the whole value, or says nothing is typed yet', () => {
    expect(typedLine(zh, '3', '1 3')).toBe('3。已输入：1 3');
    expect(typedLine(en, 'Delete', '')).toBe('Delete. Entered so far: nothing yet');
  });

  it('ends each sentence once, in the language of its words', () => {
    expect(sentences(['请刷身份证', 'Next', '好了。', '  '])).toBe('请刷身份证。 Next. 好了。');
    // A text that trails off (正在准备…) is not given a second stop.
    expect(sentences(['正在准备…', 'Getting ready…'])).toBe('正在准备… Getting ready…');
  });

  it('moves the focus without wrapping round, telling the ends', () => {
    expect(moveFocus(null, 3, 'down')).toEqual({ focus: 0, atEnd: false });
    expect(moveFocus(null, 3, 'up')).toEqual({ focus: 2, atEnd: false });
    expect(moveFocus(1, 3, 'down')).toEqual({ focus: 2, atEnd: false });
    expect(moveFocus(2, 3, 'down')).toEqual({ focus: 2, atEnd: true });
    expect(moveFocus(0, 3, 'up')).toEqual({ focus: 0, atEnd: true });
    expect(moveFocus(5, 3, 'up')).toEqual({ focus: 2, atEnd: false });
    expect(moveFocus(0, 0, 'down')).toEqual({ focus: null, atEnd: true });
  });

  it('steps the speech rate within bounds', () => {
    expect(stepRate(1, 'up')).toBe(1.25);
    expect(stepRate(1.5, 'up')).toBe(1.5);
    expect(stepRate(1, 'down')).toBe(0.8);
    expect(stepRate(0.6, 'down')).toBe(0.6);
  });
});
