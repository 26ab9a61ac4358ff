/**
 * Builds the dashboard (web/ → web/dist) with Vite when it is missing or older than its sources, so
 * `npm install && npm start` serves it without a separate step.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../core/repo-root.ts';

const ROOT = `${REPO_ROOT}/`;
const WEB = path.join(ROOT, 'web');
const DIST = path.join(WEB, 'dist');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** True when web/dist is missing or older than any file under web/. */
export function isWebStale(): boolean {
  let built: number;
  try {
    built = statSync(path.join(DIST, 'index.html')).mtimeMs;
  } catch {
    return true;
  }
  return newestMtime(WEB) > built;
}

/** Runs `vite build` in process when the dashboard is stale. Returns whether it built. */
export async function ensureWebBuilt(log: (line: string) => void): Promise<boolean> {
  if (!isWebStale()) return false;
  log('Building the dashboard (vite build) …\n');
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}
