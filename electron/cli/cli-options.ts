import { resolve } from 'node:path';
import type { Command } from 'commander';
import { dataDirVariable, defaultDataDir } from '../services/config/data-folder';

/** `--data DIR` on every command that reads or writes the kiosk's data folder, with one default. */
export interface DataOptions {
  data?: string;
}

export function dataOption(command: Command): Command {
  return command.option('--data <dir>', `data folder (default: $${dataDirVariable}, else ${defaultDataDir({})})`);
}

export function dataDirOf(options: DataOptions): string {
  return options.data === undefined ? defaultDataDir() : resolve(options.data);
}
