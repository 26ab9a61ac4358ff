#!/usr/bin/env node
// Entry point of the `handoff` CLI. The sources are TypeScript. The first run after a change under
// src/ bundles them (esbuild, about half a second) into dist/handoff.mjs; later runs load that one
// file, which starts in about half the time of loading each module through tsx (the server's first
// answers wait for it). Where the bundle cannot be built or written, or with HANDOFF_FROM_SOURCE=1
// (stack traces then name the TypeScript files), the sources run through tsx as they are.
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = `${root}dist/handoff.mjs`;

/** The newest modification time of the CLI's sources (tests excluded: the CLI never imports them). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

async function bundled() {
  if (process.env.HANDOFF_FROM_SOURCE === '1') return false;
  try {
    const newest = newestSource(`${root}src`);
    let built = 0;
    try {
      built = statSync(bundle).mtimeMs;
    } catch {
      // No bundle yet.
    }
    if (built <= newest) {
      const { build } = await import('esbuild');
      const out = await build({
        entryPoints: [`${root}src/cli/main.ts`],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        packages: 'external',
        write: false,
        logLevel: 'silent',
      });
      // Written beside, then renamed: a process starting meanwhile sees the old bundle or the new one.
      mkdirSync(`${root}dist`, { recursive: true });
      const tmp = `${bundle}.${process.pid}.tmp`;
      writeFileSync(tmp, out.outputFiles[0].contents);
      renameSync(tmp, bundle);
    }
    return true;
  } catch {
    return false;
  }
}

if (await bundled()) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
