import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RESEARCH_CSV,
  buildOutputs,
  isGeneratedPolicyFile,
  parseDateCell,
  readResearchRows,
} from '../../scripts/seed-policies.ts';
import { loadDesignations } from './load-designations.ts';
import { loadPolicies } from './load-policies.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('research table -> reviewed YAML', () => {
  it('carries every research row, with its citation, sources and confidence', async () => {
    const rows = readResearchRows(await readFile(DEFAULT_RESEARCH_CSV, 'utf8'));
    expect(rows).toHaveLength(87);
    const set = await loadPolicies();
    const byRow = new Map(set.entries.map((e) => [e.research_row, e]));
    for (const row of rows) {
      const e = byRow.get(row.line);
      expect(e, `policies.csv line ${row.line}`).toBeDefined();
      expect(e!.citation).toBe(row.citation.trim());
      expect(e!.confidence).toBe(row.confidence);
      expect(e!.honors_detainers).toBe(row.honors_detainers);
      expect(e!.release_notification).toBe(row.release_notification);
      const sourceCell = row.source_url_or_repo_path.trim();
      if (sourceCell !== 'none found') expect(e!.sources.join(' ; ')).toBe(sourceCell);
      const dateCell = row.effective_date.trim();
      if (dateCell !== '' && dateCell !== e!.effective_date) {
        expect(e!.effective_date_note, `line ${row.line} keeps its date note`).toContain(
          dateCell.includes('(') && e!.effective_date && dateCell.startsWith(`${e!.effective_date} (`)
            ? dateCell.slice(e!.effective_date.length + 2, -1)
            : dateCell,
        );
      }
    }
  });

  it('the seed script is idempotent: it produces exactly the committed files', async () => {
    const outputs = await buildOutputs();
    for (const [rel, content] of outputs) {
      expect(await readFile(join(ROOT, rel), 'utf8'), rel).toBe(content);
    }
    const onDisk = (await readdir(join(ROOT, 'reference/policies'))).filter(isGeneratedPolicyFile).sort();
    const expected = [...outputs.keys()]
      .filter((k) => k.startsWith('reference/policies/'))
      .map((k) => k.slice('reference/policies/'.length))
      .sort();
    expect(onDisk).toEqual(expected);
    expect(await buildOutputs()).toEqual(outputs);
  });

  it('parses date cells without inventing a day', () => {
    expect(parseDateCell('2017-07-24 (decision date)')).toMatchObject({
      effective_date: '2017-07-24',
      effective_date_note: 'decision date',
    });
    expect(parseDateCell('2014-08 (original); 2019-12 (amended)')).toMatchObject({
      effective_date: null,
      effective_date_approx: '2014-08',
      effective_date_note: '2014-08 (original); 2019-12 (amended)',
    });
    expect(parseDateCell('2011-2012 (exact effective date not confirmed)')).toMatchObject({
      effective_date: null,
      effective_date_approx: null,
    });
    expect(parseDateCell('~2026-07 (90 days after adjournment; exact date unconfirmed)').effective_date_approx).toBeNull();
    expect(parseDateCell('2017-01 to 2021-09-10')).toMatchObject({
      effective_date_approx: '2017-01',
      end_date: '2021-09-10',
    });
    expect(parseDateCell('terminated 2021-05')).toMatchObject({ effective_date: null, end_date_approx: '2021-05' });
    expect(parseDateCell('')).toMatchObject({ effective_date: null, effective_date_note: null });
  });
});

describe('loadDesignations', () => {
  it('loads the DOJ list of 2025-08-05 (35 rows), kept apart from policies', async () => {
    const list = await loadDesignations();
    expect(list).toHaveLength(35);
    const count = (level: string) => list.filter((d) => d.level === level).length;
    expect([count('state'), count('county'), count('city')]).toEqual([13, 4, 18]);
    expect(list.find((d) => d.jurisdiction === 'Boston')?.jurisdiction_id).toBe('city:MA:boston');
    expect(list.every((d) => d.is_transcribed_unverified && d.list_date === '2025-08-05')).toBe(true);
  });
});
