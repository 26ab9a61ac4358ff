/** docs/cli.md is generated from the command registry: the committed file must match the code. */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { cliDocs } from '../../src/cli/cli-docs.ts';
import { COMMANDS } from '../../src/cli/commands/index.ts';

test('docs/cli.md matches the command registry (run scripts/gen-cli-docs.ts)', () => {
  const committed = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
  expect(committed).toBe(cliDocs());
  for (const name of Object.keys(COMMANDS)) expect(committed).toContain(`## handoff ${name}`);
});
