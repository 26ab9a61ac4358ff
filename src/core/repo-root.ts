/**
 * Where the project's own files are: the folder of the package.json named "handoff" at or above
 * this module.
 *
 * Does: find it once, by walking up, so that paths to `reference/`, `web/dist` and the migrations
 *   are the same whether the CLI runs from `src/` (through tsx) or from its bundle in `dist/`.
 * Does not: read any of those files (each reader owns its own).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'handoff') return dir;
      } catch {
        // Not ours (or unreadable): keep looking above it.
      }
    }
    if (dirname(dir) === dir) throw new Error(`cannot find Handoff's package.json at or above ${from}`);
  }
}

/** The project's root folder. */
export const REPO_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the project, from its root: `repoPath('reference', 'policies')`. */
export function repoPath(...parts: string[]): string {
  return join(REPO_ROOT, ...parts);
}
