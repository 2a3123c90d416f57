import { assertNever } from '../../foundation/result';
import type { TransportError } from './transport';

/**
 * The status of a device that only listens on its link (the scanner, the keypad): there, gone, or
 * there but unusable, with the reason in words a technician can act on.
 */
export type LinkDeviceStatus =
  | { readonly state: 'ready' }
  | { readonly state: 'no-device'; readonly reason: string }
  | { readonly state: 'error'; readonly reason: string };

/** Which transport failures mean "nothing there" and which need a technician. */
export function statusForLinkError(error: TransportError): LinkDeviceStatus {
  switch (error.kind) {
    case 'not-found':
    case 'disconnected':
    case 'timeout':
      return { state: 'no-device', reason: error.message };
    case 'permission-denied':
    case 'busy':
    case 'io-error':
      return { state: 'error', reason: error.message };
    default:
      return assertNever(error.kind, 'transport error kind');
  }
}

/** Same state and reason: a retry that fails the same way again is not news. */
export function sameLinkDeviceStatus(a: LinkDeviceStatus, b: LinkDeviceStatus): boolean {
  return a.state === b.state && ('reason' in a ? a.reason : '') === ('reason' in b ? b.reason : '');
}
