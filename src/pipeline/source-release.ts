/**
 * The release and `source_files` row of a file that is a release of its own (a 287(g) sheet, a
 * facility list, a detention-statistics workbook): opened before the load, with zero rows, and
 * completed with what the load found. Inside the caller's transaction.
 */
import type { Store } from '../store/index.ts';

export interface SourceRelease {
  releaseId: string;
  label: string;
  kind: string;
  fileId: string;
  fileName: string;
  bytes: number;
  format: string;
  now: Date;
}

export async function openSourceRelease(store: Store, r: SourceRelease): Promise<void> {
  const at = r.now.toISOString();
  await store.run('INSERT INTO releases (release_id, label, synthetic, created_at, kind) VALUES ($1, $2, false, $3, $4)', [r.releaseId, r.label, at, r.kind]);
  await store.run(
    `INSERT INTO source_files (file_id, release_id, file_name, bytes, format, loaded_at, rows_loaded, rows_rejected, metadata)
     VALUES ($1, $2, $3, $4, $5, $6, 0, 0, NULL)`,
    [r.fileId, r.releaseId, r.fileName, r.bytes, r.format, at],
  );
}

/** Records the rows loaded and rejected and what the load found (`metadata`, JSON); `format` when the load learned it. */
export async function recordSourceFile(store: Store, fileId: string, loaded: { rows: number; rejects: number; metadata: unknown; format?: string }): Promise<void> {
  await store.run('UPDATE source_files SET rows_loaded = $2, rows_rejected = $3, metadata = $4, format = coalesce($5, format) WHERE file_id = $1', [
    fileId,
    loaded.rows,
    loaded.rejects,
    JSON.stringify(loaded.metadata),
    loaded.format ?? null,
  ]);
}
