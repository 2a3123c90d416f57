import { describe, expect, it } from 'vitest';
import { createListeners } from './listeners';

describe('listeners', () => {
  it('tells every listener, survives one that throws, and forgets one that unsubscribed', () => {
    const errors: unknown[] = [];
    const heard: string[] = [];
    const events = createListeners<string>((error) => errors.push(error));
    const off = events.subscribe((e) => heard.push(`a:${e}`));
    events.subscribe(() => {
      throw new Error('broken listener');
    });
    events.subscribe((e) => heard.push(`c:${e}`));
    events.emit('one');
    off();
    events.emit('two');
    expect(heard).toEqual(['a:one', 'c:one', 'c:two']);
    expect(errors).toHaveLength(2);
  });
});
