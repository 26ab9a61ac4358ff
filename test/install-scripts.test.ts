/**
 * `npm install` prints a warning that reads like a failure for every installed package whose install
 * scripts package.json's `allowScripts` does not cover (npm 11.16+; npm 12 skips those scripts). So
 * every such package is listed there, reviewed: true (its script runs) or false (it is skipped).
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'];

/** Every package directory under node_modules (scoped ones included, nested ones too). */
function packageDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (name.startsWith('@')) out.push(...packageDirs(full));
    else if (existsSync(path.join(full, 'package.json'))) out.push(full, ...packageDirs(path.join(full, 'node_modules')));
  }
  return out;
}

describe('install scripts', () => {
  it('every installed package with an install script is reviewed in package.json allowScripts', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
    const allowed = new Set(Object.keys(pkg.allowScripts ?? {}).map((k) => k.replace(/(.)@.*$/, '$1')));
    const withScripts = packageDirs(path.join(root, 'node_modules'))
      .map((d) => JSON.parse(readFileSync(path.join(d, 'package.json'), 'utf8')) as { name?: string; scripts?: Record<string, string> })
      .filter((p) => p.name && INSTALL_SCRIPTS.some((s) => p.scripts?.[s]))
      .map((p) => p.name!);
    expect(withScripts.length).toBeGreaterThan(0); // esbuild's postinstall at least: the scan sees node_modules
    expect([...new Set(withScripts)].filter((n) => !allowed.has(n))).toEqual([]);
  });
});
