import type { ConsoleAuth } from '../../fleet/console/console-server';

/**
 * A stand-in for the console's sign-in in tests of its data side: the account named in the
 * `x-test-user` header is signed in, and the CSRF token is a fixed value. Never used outside tests.
 */
export const testCsrfToken = 'test-csrf-token';

export const headerTestAuth: ConsoleAuth = {
  register: () => Promise.resolve(),
  require: async (request, reply) => {
    const name = request.headers['x-test-user'];
    if (typeof name === 'string' && name !== '') return { name };
    await reply.code(401).send({ error: 'sign in' });
    return null;
  },
  csrfField: () => `<input type="hidden" name="_csrf" value="${testCsrfToken}">`,
  checkCsrf: async (request, reply) => {
    if ((request.body as Record<string, string> | undefined)?.['_csrf'] === testCsrfToken) return true;
    await reply.code(403).send({ error: 'bad csrf token' });
    return false;
  },
};
