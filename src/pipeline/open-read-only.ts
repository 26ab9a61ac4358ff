import { stat } from 'node:fs/promises';
import { HandoffError } from '../core/errors.ts';
import { latestSchemaVersion, schemaVersion, Store } from '../store/index.ts';

/**
 * Opens the database for reading, refusing clearly when it does not exist or was written by another
 * version. External file access is switched off, so a query cannot read or write files.
 */
export async function openReadOnly(dbPath: string, options: { allowExternalAccess?: boolean } = {}): Promise<Store> {
  const exists = await stat(dbPath).then((s) => s.isFile(), () => false);
  if (!exists) {
    throw new HandoffError('not_found', `no database at ${dbPath}; run \`handoff ingest <files>\` or \`handoff demo\` first`);
  }
  const store = await Store.open(dbPath, { readOnly: true });
  const version = await schemaVersion(store);
  if (version !== latestSchemaVersion()) {
    store.close();
    throw new HandoffError(
      'database',
      `the database has schema version ${version}; this Handoff expects ${latestSchemaVersion()}. Ingest any file to migrate it, or rebuild it`,
    );
  }
  if (!options.allowExternalAccess) {
    await store.run('SET enable_external_access = false');
    await store.run('SET lock_configuration = true');
  }
  return store;
}
