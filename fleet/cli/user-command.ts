/**
 * `npm run fleet -- user add|list|reset-password|disable|enable`: the console's staff accounts,
 * the platform's account commands over the console's database (safe while the console runs: SQLite
 * WAL, one transaction per change). Every change lands in the console's staff audit.
 */
import { resolve } from 'node:path';
import { userInfo } from 'node:os';
import { Command, CommanderError } from 'commander';
import { registerAccountCommands } from '../../platform/server/accounts/account-commands';
import { consoleRoles } from '../console/console-server';
import { openConsoleDb, recordStaffAudit } from '../console/console-store';
import { consoleDatabaseFile } from './console-command';

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Runs one `user …` command; exits the process with its code on failure. */
export async function runUserCommand(args: readonly string[]): Promise<void> {
  const program = new Command('fleet').exitOverride();
  const actor = `cli:${userInfo().username}`;
  registerAccountCommands(program, {
    roles: consoleRoles,
    openDb: (dataDir) => openConsoleDb(consoleDatabaseFile(resolve(dataDir))),
    defaultDataDir: '.fleet-console',
    out: (line) => process.stdout.write(`${line}\n`),
    fail: (line, code) => {
      process.stderr.write(`fleet: ${line}\n`);
      throw new Exit(code);
    },
    secrets: { stdin: process.stdin, stderr: process.stderr },
    audit: (db, event) =>
      recordStaffAudit(
        db,
        new Date().toISOString(),
        actor,
        event.action,
        `account ${event.subject}${event.detail === undefined ? '' : ` (${event.detail})`}`,
      ),
  });
  try {
    await program.parseAsync(['user', ...args], { from: 'user' });
  } catch (error) {
    if (error instanceof Exit) process.exit(error.code);
    if (error instanceof CommanderError) process.exit(error.exitCode);
    throw error;
  }
}
