/**
 * The dependency table of ARCHITECTURE.md, enforced: every import between src/ modules must be allowed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../src');

const ALLOWED: Record<string, string[]> = {
  core: [],
  // The API's row types: no imports, so the dashboard may import it too (test/e2e/web/web-boundary.test.ts).
  contract: [],
  xlsx: ['core'],
  ingest: ['core', 'xlsx', 'geo'],
  store: ['core'],
  geo: ['core'],
  offense: ['core'],
  link: ['core', 'store', 'geo', 'offense', 'policy'],
  policy: ['core', 'contract', 'store', 'geo'],
  synthetic: ['core', 'xlsx', 'geo', 'offense', 'policy', 'link', 'pipeline', 'ingest'],
  metrics: ['core', 'contract', 'store', 'link', 'policy', 'offense', 'geo'],
  pipeline: ['core', 'contract', 'ingest', 'store', 'link', 'policy', 'offense', 'geo', 'xlsx', 'metrics'],
  api: ['core', 'contract', 'store', 'link', 'policy', 'metrics', 'offense', 'geo', 'pipeline', 'reports'],
  reports: ['core', 'contract', 'store', 'link', 'policy', 'metrics', 'offense', 'geo', 'pipeline'],
  cli: ['*'],
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return filesUnder(full);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('module boundaries', () => {
  const modules = readdirSync(SRC).filter((m) => statSync(path.join(SRC, m)).isDirectory());

  it('every module under src/ is in the dependency table', () => {
    expect(modules.filter((m) => !(m in ALLOWED))).toEqual([]);
  });

  it('imports follow the dependency table and enter other modules through index.ts or a file at their top', () => {
    const violations: string[] = [];
    for (const module of modules) {
      for (const file of filesUnder(path.join(SRC, module))) {
        const text = readFileSync(file, 'utf8');
        for (const match of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)) {
          const target = path.resolve(path.dirname(file), match[1]!);
          const relative = path.relative(SRC, target);
          if (relative.startsWith('..')) continue;
          const targetModule = relative.split(path.sep)[0]!;
          if (targetModule === module) continue;
          const allowed = ALLOWED[module] ?? [];
          if (!allowed.includes('*') && !allowed.includes(targetModule)) {
            violations.push(`${path.relative(SRC, file)} imports ${relative} (${module} may not import ${targetModule})`);
          }
        }
      }
    }
    expect(violations).toEqual([]);
  });
});
