/**
 * Writes src/store/schema/002-family-tables.sql from reference/columns/*.csv.
 * The migration is committed and reviewed like any other; test/store/schema.test.ts checks they agree.
 * Usage: node --import tsx scripts/gen-schema.ts
 */
import { writeFileSync } from 'node:fs';
import { familyTablesSql } from '../src/pipeline/family-tables.ts';

const target = new URL('../src/store/schema/002-family-tables.sql', import.meta.url);
writeFileSync(target, familyTablesSql());
console.log(`wrote ${target.pathname}`);
