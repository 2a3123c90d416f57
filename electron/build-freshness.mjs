// Is a build output up to date? Plain JavaScript so that bin/kiosk.mjs can ask in a few
// milliseconds without compiling anything; electron/build.ts writes the manifest it reads.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Where `npm run build` records, per output, when it was built and from which files. */
export function manifestPath(root) {
  return join(root, 'dist', 'build-inputs.json');
}

export function readManifest(root) {
  try {
    const parsed = JSON.parse(readFileSync(manifestPath(root), 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

/**
 * Why `target` must be rebuilt, or null when it is up to date: every file it was built from is
 * still there and no newer than the build, and its output exists. A new file only matters once
 * something imports it, and that something is then newer than the build.
 */
export function staleReason(root, target) {
  const entry = readManifest(root)[target];
  if (entry === undefined || !Array.isArray(entry.inputs) || typeof entry.builtAt !== 'number') return 'never built';
  for (const output of entry.outputs ?? []) {
    try {
      statSync(join(root, output));
    } catch {
      return `${output} is missing`;
    }
  }
  for (const input of entry.inputs) {
    let mtime;
    try {
      mtime = statSync(join(root, input)).mtimeMs;
    } catch {
      return `${input} is gone`;
    }
    if (mtime > entry.builtAt) return `${input} changed`;
  }
  return null;
}
