/**
 * Where the resident is. A stack so that Back always returns to the previous screen; wiping the
 * person means replacing the whole state with `initialNavigation`.
 */
export type Screen =
  | { readonly name: 'idle' }
  | { readonly name: 'categories' }
  | { readonly name: 'services'; readonly categoryId: string }
  | { readonly name: 'notice'; readonly serviceCode: string };

export interface Navigation {
  readonly stack: readonly Screen[];
}

export const initialNavigation: Navigation = { stack: [{ name: 'idle' }] };

export type NavigationAction = { readonly type: 'push'; readonly screen: Screen } | { readonly type: 'back' } | { readonly type: 'reset' };

export function navigate(state: Navigation, action: NavigationAction): Navigation {
  switch (action.type) {
    case 'push':
      return { stack: [...state.stack, action.screen] };
    case 'back':
      return state.stack.length > 1 ? { stack: state.stack.slice(0, -1) } : state;
    case 'reset':
      return initialNavigation;
  }
}

export function currentScreen(state: Navigation): Screen {
  return state.stack[state.stack.length - 1] ?? { name: 'idle' };
}

/** A stable name for logs and tests; never contains personal data. */
export function screenId(screen: Screen): string {
  switch (screen.name) {
    case 'idle':
    case 'categories':
      return screen.name;
    case 'services':
      return `services:${screen.categoryId}`;
    case 'notice':
      return `notice:${screen.serviceCode}`;
  }
}
