/**
 * A hall staff member's browser, reduced to what the tests need: a cookie jar, the CSRF token of
 * the last page, form posts without following redirects. Accounts are made directly in the
 * platform's database (what `npm run platform -- user add` does, without the password prompt).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { AccountStore, migrateAccountTables } from '../../platform/server/accounts/account-db';
import { hashPassword } from '../../platform/server/accounts/password-hash';

export const officerPassword = 'lantern-river-77';

/** An account ready to sign in: `mustChange` false unless asked (the first-password flow has its own tests). */
export async function addHallAccount(
  platformDataDir: string,
  name: string,
  role: 'officer' | 'admin',
  options: { password?: string; mustChange?: boolean } = {},
): Promise<void> {
  await addStaffAccount(join(platformDataDir, 'platform.sqlite'), name, role, options);
}

/** The same in any database that mounts the account model (a fleet console's). */
export async function addStaffAccount(
  databaseFile: string,
  name: string,
  role: string,
  options: { password?: string; mustChange?: boolean } = {},
): Promise<void> {
  const db = new Database(databaseFile);
  try {
    db.pragma('busy_timeout = 5000');
    migrateAccountTables(db);
    const store = new AccountStore(db);
    const created = store.create(name, role, await hashPassword(options.password ?? officerPassword), new Date());
    if (created === 'exists') throw new Error(`account ${name} exists`);
    store.setPassword(created.id, created.password_hash, options.mustChange ?? false, new Date());
  } finally {
    db.close();
  }
}

export class HallClient {
  private readonly cookies = new Map<string, string>();
  /** The CSRF field of the last page read. */
  csrf = '';
  lastSetCookie: string[] = [];

  /** `basePath`: where the application mounted the account pages (`/hall`, a fleet console's `/fleet`). */
  constructor(
    readonly baseUrl: string,
    readonly basePath = '/hall',
  ) {}

  private remember(response: Response): void {
    this.lastSetCookie = response.headers.getSetCookie();
    for (const line of this.lastSetCookie) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair === undefined || eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return { ...(cookie === '' ? {} : { cookie }), ...extra };
  }

  /** The same browser (cookies, CSRF token) talking to a restarted server at another address. */
  at(baseUrl: string): HallClient {
    const moved = new HallClient(baseUrl, this.basePath);
    for (const [name, value] of this.cookies) moved.cookies.set(name, value);
    moved.csrf = this.csrf;
    return moved;
  }

  hasSession(): boolean {
    return this.cookies.has('vk_session');
  }

  async get(path: string): Promise<{ response: Response; body: string }> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: this.headers(), redirect: 'manual' });
    this.remember(response);
    const body = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
    if (token !== undefined) this.csrf = token;
    return { response, body };
  }

  /** Opens an event stream and resolves with its first `data:` message (the abort signal bounds a hang). */
  async firstEvent(path: string, signal: AbortSignal): Promise<string> {
    const stream = await this.openEvents(path, signal);
    try {
      return await stream.next();
    } finally {
      stream.close();
    }
  }

  /** Opens an event stream whose `data:` messages are read one by one; `close` ends it. */
  async openEvents(path: string, signal?: AbortSignal): Promise<{ next(): Promise<string>; close(): void }> {
    const abort = new AbortController();
    const response = await fetch(`${this.baseUrl}${path}`, {
      headers: this.headers(),
      signal: signal === undefined ? abort.signal : AbortSignal.any([signal, abort.signal]),
    });
    const reader = response.body?.getReader();
    if (reader === undefined) throw new Error(`no event stream at ${path} (${response.status})`);
    const decoder = new TextDecoder();
    let text = '';
    return {
      async next() {
        for (;;) {
          const data = /^data: (.*)$/m.exec(text);
          if (data !== null) {
            text = text.slice(data.index + data[0].length);
            return data[1] ?? '';
          }
          const { value, done } = await reader.read();
          if (done) throw new Error(`event stream ended without a message: ${text}`);
          text += decoder.decode(value, { stream: true });
        }
      },
      close: () => {
        void reader.cancel().catch(() => undefined);
        abort.abort();
      },
    };
  }

  /** A document: the bytes as sent. */
  async getBytes(path: string): Promise<{ response: Response; bytes: Buffer }> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: this.headers(), redirect: 'manual' });
    this.remember(response);
    return { response, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  /** Posts a form with the current CSRF token unless `csrf: false` (or a token of its own) is given. */
  async post(
    path: string,
    fields: Record<string, string>,
    options: { csrf?: false | string; headers?: Record<string, string> } = {},
  ): Promise<{ response: Response; body: string }> {
    const token = options.csrf === false ? undefined : (options.csrf ?? this.csrf);
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded', ...options.headers }),
      body: new URLSearchParams({ ...fields, ...(token === undefined ? {} : { _csrf: token }) }).toString(),
      redirect: 'manual',
    });
    this.remember(response);
    const body = await response.text();
    const next = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
    if (next !== undefined) this.csrf = next;
    return { response, body };
  }

  /** Signs in through the login form; returns the status of the form post (303 on success). */
  async signIn(name: string, password: string = officerPassword): Promise<number> {
    await this.get(`${this.basePath}/login`);
    const { response } = await this.post(`${this.basePath}/login`, { name, password });
    if (response.status === 303) await this.get(response.headers.get('location') ?? this.basePath);
    return response.status;
  }
}
