/**
 * Ordered schema migrations: src/store/schema/NNN-name.sql, applied once each, in order, recorded in
 * `schema_migrations`. A migration is never edited after it lands; a change is a new file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { HandoffError } from '../core/errors.ts';
import type { Store } from './store.ts';
import { repoPath } from '../core/repo-root.ts';

const SCHEMA_DIR = `${repoPath('src', 'store', 'schema')}/`;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migrations shipped with this version, in order. */
export function listMigrations(dir = SCHEMA_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 3)),
      name: file.replace(/\.sql$/, ''),
      sql: readFileSync(path.join(dir, file), 'utf8'),
    }));
}

/** The newest schema version this code knows. */
export function latestSchemaVersion(): number {
  return Math.max(0, ...listMigrations().map((m) => m.version));
}

/** The schema version of a store (0 when it has none). */
export async function schemaVersion(store: Store): Promise<number> {
  if (!(await store.hasRelation('schema_migrations'))) return 0;
  const row = await store.queryRow<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  return Number(row?.v ?? 0);
}

/** Applies every migration newer than the store's version, each in its own transaction. */
export async function migrate(store: Store): Promise<number[]> {
  await store.run(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)',
  );
  const current = await schemaVersion(store);
  const latest = latestSchemaVersion();
  if (current > latest) {
    throw new HandoffError(
      'database',
      `the database has schema version ${current}, newer than this Handoff (${latest}); upgrade Handoff`,
    );
  }
  const applied: number[] = [];
  for (const migration of listMigrations()) {
    if (migration.version <= current) continue;
    await store.transaction(async () => {
      await store.run(migration.sql);
      await store.run('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
    });
    applied.push(migration.version);
  }
  return applied;
}
