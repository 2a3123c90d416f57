/**
 * Where the resident is. A stack so that Back always returns to the previous screen; wiping the
 * person means replacing the whole state with `initialNavigation`.
 */
export type Screen =
  | { readonly name: 'idle' }
  | { readonly name: 'categories' }
  | { readonly name: 'services'; readonly categoryId: string }
  | { readonly name: 'notice'; readonly serviceCode: string }
  | { readonly name: 'identify'; readonly serviceCode: string }
  | { readonly name: 'parties'; readonly serviceCode: string; readonly returnToCheck?: boolean }
  | {
      readonly name: 'question';
      readonly serviceCode: string;
      readonly index: number;
      readonly returnToCheck?: boolean;
    }
  | {
      readonly name: 'document';
      readonly serviceCode: string;
      readonly index: number;
      readonly returnToCheck?: boolean;
    }
  | { readonly name: 'consent'; readonly serviceCode: string }
  | { readonly name: 'signature'; readonly serviceCode: string; readonly returnToCheck?: boolean }
  | { readonly name: 'check'; readonly serviceCode: string }
  | { readonly name: 'submitted'; readonly serviceCode: string }
  | { readonly name: 'rating'; readonly serviceCode: string }
  /** A proof printed at once (查询打印): its own small flow, card to paper. */
  | { readonly name: 'proof'; readonly serviceCode: string }
  | { readonly name: 'goodbye' }
  | { readonly name: 'progress' };

export interface Navigation {
  readonly stack: readonly Screen[];
}

export const initialNavigation: Navigation = { stack: [{ name: 'idle' }] };

export type NavigationAction =
  | { readonly type: 'push'; readonly screen: Screen }
  | { readonly type: 'back' }
  | { readonly type: 'reset' }
  /** After submission there is no way back into the application: the history becomes `stack`. */
  | { readonly type: 'replace-all'; readonly stack: readonly Screen[] };

export function navigate(state: Navigation, action: NavigationAction): Navigation {
  switch (action.type) {
    case 'push':
      return { stack: [...state.stack, action.screen] };
    case 'back':
      return state.stack.length > 1 ? { stack: state.stack.slice(0, -1) } : state;
    case 'reset':
      return initialNavigation;
    case 'replace-all':
      return action.stack.length > 0 ? { stack: action.stack } : initialNavigation;
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
    case 'goodbye':
    case 'progress':
      return screen.name;
    case 'services':
      return `services:${screen.categoryId}`;
    case 'notice':
    case 'identify':
    case 'parties':
    case 'consent':
    case 'signature':
    case 'check':
    case 'submitted':
    case 'rating':
    case 'proof':
      return `${screen.name}:${screen.serviceCode}`;
    case 'question':
    case 'document':
      return `${screen.name}:${screen.serviceCode}:${screen.index}`;
  }
}
