/** Writes docs/cli.md from the CLI's command registry. Usage: node --import tsx scripts/gen-cli-docs.ts */
import { writeFileSync } from 'node:fs';
import { cliDocs } from '../src/cli/cli-docs.ts';

writeFileSync(new URL('../docs/cli.md', import.meta.url), cliDocs());
console.log('wrote docs/cli.md');
