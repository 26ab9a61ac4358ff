/**
 * The dashboard is a client of the API: no file under web/src imports server code (src/, reference/ or
 * anything outside web/src) but the API's contract (src/contract, which imports nothing); packages are
 * imported by name. test/architecture.test.ts covers src/ only.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './stack.ts';

const WEB_SRC = path.join(REPO, 'web/src');
const CONTRACT = path.join(REPO, 'src/contract/index.ts');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : name.endsWith('.ts') ? [full] : [];
  });
}

describe('web boundary', () => {
  it('web/src imports only web/src files, the API contract and packages', () => {
    const violations: string[] = [];
    for (const file of filesUnder(WEB_SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)) {
        const spec = (m[1] ?? m[2])!;
        if (!spec.startsWith('.') && !spec.startsWith('/')) continue; // a package
        const target = path.resolve(path.dirname(file), spec);
        if (target !== CONTRACT && path.relative(WEB_SRC, target).startsWith('..')) violations.push(`${path.relative(REPO, file)} imports ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('the contract imports nothing', () => {
    expect(readFileSync(CONTRACT, 'utf8').match(/^\s*(?:import|export)\b[^'"]*?from\s+['"]/gm)).toBeNull();
  });
});
