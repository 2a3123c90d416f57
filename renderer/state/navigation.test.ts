import { describe, expect, it } from 'vitest';
import { currentScreen, initialNavigation, navigate } from './navigation';

describe('navigation', () => {
  it('goes forward and back and never pops the idle screen', () => {
    let state = navigate(initialNavigation, { type: 'push', screen: { name: 'categories' } });
    state = navigate(state, { type: 'push', screen: { name: 'services', categoryId: 'elderly' } });
    expect(currentScreen(state)).toEqual({ name: 'services', categoryId: 'elderly' });
    state = navigate(navigate(navigate(state, { type: 'back' }), { type: 'back' }), { type: 'back' });
    expect(state).toEqual(initialNavigation);
  });

  it('reset drops the whole history', () => {
    const deep = navigate(navigate(initialNavigation, { type: 'push', screen: { name: 'categories' } }), {
      type: 'push',
      screen: { name: 'notice', serviceCode: 'X' },
    });
    expect(navigate(deep, { type: 'reset' })).toBe(initialNavigation);
  });
});
