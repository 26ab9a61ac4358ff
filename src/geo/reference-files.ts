/**
 * Reads the small CSV tables shipped under reference/. They are read synchronously once and cached:
 * they are a few hundred kilobytes at most and are needed by pure lookups such as `aorByName`.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { HandoffError } from '../core/errors.ts';
import { repoPath } from '../core/repo-root.ts';

/** Absolute path of a file under the repository's reference/ folder. */
export function referencePath(relative: string): string {
  return repoPath('reference', relative);
}

/** Reads a reference CSV (header on line 1) into records of strings. */
export function readReferenceCsv(relative: string): Record<string, string>[] {
  const path = referencePath(relative);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new HandoffError('invalid_reference', `cannot read reference/${relative}`, { cause });
  }
  return parseCsvRecords(text);
}

/** Parses CSV text (header on line 1) into records of strings. */
export function parseCsvRecords(text: string): Record<string, string>[] {
  return parse(text, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
}
