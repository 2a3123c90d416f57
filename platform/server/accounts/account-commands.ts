/**
 * `user add|list|reset-password|disable|enable` for any application that mounts the account model
 * (the platform's `npm run platform -- user …`, a fleet console's CLI). Passwords come from
 * `readSecret` (no echo, or piped stdin), never from arguments. Every change is audited by the host.
 */
import type { Command } from 'commander';
import type BetterSqlite3 from 'better-sqlite3';
import { AccountStore, migrateAccountTables } from './account-db';
import { hashPassword, passwordProblem } from './password-hash';
import { readSecret, type SecretInput } from '../../../foundation/read-secret';

export interface AccountCommandsOptions {
  readonly roles: readonly string[];
  /** Opens the host application's database (created if needed). */
  readonly openDb: (dataDir: string) => BetterSqlite3.Database;
  readonly defaultDataDir: string;
  readonly out: (line: string) => void;
  /** Prints one clear line and ends the command with this exit code. */
  readonly fail: (line: string, code: number) => never;
  readonly secrets: SecretInput;
  /** Writes the host's audit log. */
  readonly audit: (db: BetterSqlite3.Database, event: { action: string; subject: string; detail?: string }) => void;
  readonly now?: () => Date;
}

/** Account names: letters first, no spaces; never an ID number (names go into audit logs). */
export const accountNamePattern = /^[A-Za-z][A-Za-z0-9._-]{1,31}$/;

export function registerAccountCommands(program: Command, options: AccountCommandsOptions): void {
  const now = options.now ?? (() => new Date());
  const user = program.command('user').description('hall staff accounts');
  const withStore = <T>(dataDir: string, work: (store: AccountStore, db: BetterSqlite3.Database) => Promise<T>) => {
    const db = options.openDb(dataDir);
    migrateAccountTables(db);
    return work(new AccountStore(db), db).finally(() => db.close());
  };
  const newPassword = async (name: string): Promise<string> => {
    const first = await readSecret(options.secrets, `first password for ${name} (they must change it at sign-in): `);
    if (first === null || first === '') return options.fail('no password given (type it, or pipe it on stdin)', 2);
    const problem = passwordProblem(first, name);
    if (problem !== null) return options.fail(`password not accepted: ${problem}`, 2);
    if (options.secrets.stdin.isTTY === true) {
      const again = await readSecret(options.secrets, 'again: ');
      if (again !== first) return options.fail('the two passwords differ', 2);
    }
    return first;
  };

  user
    .command('add')
    .description(
      'create an account; its first password is read from the terminal or stdin and must be changed at first sign-in',
    )
    .argument('<name>', 'account name, e.g. li.na')
    .requiredOption('--role <role>', options.roles.join('|'))
    .option('--data <dir>', 'data folder', options.defaultDataDir)
    .action(async (name: string, flags: { role: string; data: string }) => {
      if (!accountNamePattern.test(name))
        options.fail(
          `account name "${name}": 2–32 letters, digits, dot, dash or underscore, starting with a letter`,
          2,
        );
      if (!options.roles.includes(flags.role)) options.fail(`--role: one of ${options.roles.join(', ')}`, 2);
      const password = await newPassword(name);
      await withStore(flags.data, async (store, db) => {
        const created = store.create(name, flags.role, await hashPassword(password), now());
        if (created === 'exists') options.fail(`account ${name} already exists`, 1);
        options.audit(db, { action: 'account.created', subject: name, detail: flags.role });
        options.out(`account ${name} (${flags.role}) created; the password must be changed at first sign-in`);
      });
    });

  user
    .command('list')
    .description('list accounts')
    .option('--data <dir>', 'data folder', options.defaultDataDir)
    .action((flags: { data: string }) =>
      withStore(flags.data, (store) => {
        for (const a of store.list())
          options.out(
            [
              a.name,
              a.role,
              a.disabled === 1 ? 'disabled' : a.locked_until !== null ? `locked until ${a.locked_until}` : 'active',
              a.must_change_password === 1 ? 'must change password' : `password changed ${a.password_changed_at}`,
            ].join('\t'),
          );
        return Promise.resolve();
      }),
    );

  user
    .command('reset-password')
    .description('set a new first password (read like `add`), end the account’s sessions and lift a lock-out')
    .argument('<name>')
    .option('--data <dir>', 'data folder', options.defaultDataDir)
    .action(async (name: string, flags: { data: string }) => {
      const password = await newPassword(name);
      await withStore(flags.data, async (store, db) => {
        const account = store.byName(name);
        if (account === undefined) return options.fail(`no account ${name}`, 1);
        store.setPassword(account.id, await hashPassword(password), true, now());
        options.audit(db, { action: 'account.password-reset', subject: account.name });
        options.out(`password of ${account.name} reset; it must be changed at the next sign-in`);
      });
    });

  for (const [verb, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    user
      .command(verb)
      .description(disabled ? 'stop an account from signing in (ends its sessions)' : 'allow a disabled account again')
      .argument('<name>')
      .option('--data <dir>', 'data folder', options.defaultDataDir)
      .action((name: string, flags: { data: string }) =>
        withStore(flags.data, (store, db) => {
          const account = store.byName(name);
          if (account === undefined) return options.fail(`no account ${name}`, 1);
          store.setDisabled(account.id, disabled);
          options.audit(db, { action: disabled ? 'account.disabled' : 'account.enabled', subject: account.name });
          options.out(`account ${account.name} ${disabled ? 'disabled' : 'enabled'}`);
          return Promise.resolve();
        }),
      );
  }
}
