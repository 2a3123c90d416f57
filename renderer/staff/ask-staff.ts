import { createContext } from 'preact';

/**
 * 不会写字: a resident screen asks staff to confirm something on the spot (the resident's mark). The
 * same PIN pad opens over the resident screens, which stay mounted and inert; a PIN signs staff in
 * without opening staff mode, and `onSignedIn` goes on (the service then ends the staff session).
 */
export type AskStaff = (onSignedIn: () => void) => void;
export const AskStaffContext = createContext<AskStaff>(() => undefined);
