import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES_DIR, loadPolicies, parsePolicySources } from './load-policies.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDirWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'handoff-policies-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

const ENTRY = `
  - id: xx-2020-example
    kind: ordinance
    scope: [county_jails]
    honors_detainers: no_holds
    release_notification: unclear
    ice_jail_access: null
    summary: Example entry.
    citation: Example Act (2020)
    primary_citation: true
    sources: ["https://example.org/act"]
    confidence: high
    effective_date: 2020-01-01
    effective_date_approx: null
    effective_date_note: null
    end_date: null
    end_date_approx: null
    end_date_note: null
    preempted_by: null
    research_row: null
`;
const TX_COUNTY = `jurisdiction: { id: "county:48453", level: county, name: Travis County, state: TX, fips: "48453" }\nentries:${ENTRY}`;

describe('loadPolicies', () => {
  it('loads the reviewed files: 106 entries in 72 jurisdictions', async () => {
    const set = await loadPolicies();
    expect(set.entries).toHaveLength(106);
    expect(set.jurisdictions).toHaveLength(72);
    const levels = set.jurisdictions.reduce<Record<string, number>>((m, j) => ({ ...m, [j.level]: (m[j.level] ?? 0) + 1 }), {});
    expect(levels).toEqual({ state: 51, county: 15, city: 6 });
  });

  it('names the file and the entry when an entry fails the schema', async () => {
    const bad = TX_COUNTY.replace('honors_detainers: no_holds', 'honors_detainers: sometimes');
    const dir = await tempDirWith({ 'county-48453-travis-tx.yaml': bad });
    await expect(loadPolicies(dir)).rejects.toMatchObject({
      code: 'invalid_reference',
      message: expect.stringMatching(
        /county-48453-travis-tx\.yaml, entry "xx-2020-example": \/entries\/0\/honors_detainers must be one of "hold_required", "no_local_limits"/,
      ),
    });
  });

  it('rejects an unknown field, a bad calendar date and an end before the start', async () => {
    const name = 'county-48453-travis-tx.yaml';
    await expect(parsePolicySources([{ name, text: TX_COUNTY.replace('research_row: null', 'research_row: null\n    label: x') }]))
      .rejects.toThrow(/entry "xx-2020-example": \/entries\/0 has unknown field "label"/);
    await expect(parsePolicySources([{ name, text: TX_COUNTY.replace('effective_date: 2020-01-01', 'effective_date: 2020-02-30') }]))
      .rejects.toThrow(/entry "xx-2020-example": effective_date "2020-02-30" is not a calendar date/);
    await expect(parsePolicySources([{ name, text: TX_COUNTY.replace('end_date: null', 'end_date: 2019-01-01') }]))
      .rejects.toThrow(/entry "xx-2020-example": ends \(2019-01-01\) before it takes effect/);
  });

  it('rejects an id that does not match its level, a wrong file name, duplicates and dangling preempted_by', async () => {
    await expect(
      parsePolicySources([{ name: 'county-48453-travis-tx.yaml', text: TX_COUNTY.replace('level: county', 'level: city') }]),
    ).rejects.toThrow(/does not match level city/);
    await expect(parsePolicySources([{ name: 'travis.yaml', text: TX_COUNTY }])).rejects.toThrow(
      /must be stored in county-48453-travis-tx\.yaml/,
    );
    const other = TX_COUNTY.replace(/county:48453/, 'county:48201').replace(/"48453"/, '"48201"').replace('Travis', 'Harris');
    await expect(
      parsePolicySources([
        { name: 'county-48453-travis-tx.yaml', text: TX_COUNTY },
        { name: 'county-48201-harris-tx.yaml', text: other },
      ]),
    ).rejects.toThrow(/county-48201-harris-tx\.yaml, entry "xx-2020-example": duplicate entry id/);
    await expect(
      parsePolicySources([{ name: 'county-48453-travis-tx.yaml', text: TX_COUNTY.replace('preempted_by: null', 'preempted_by: tx-nothing') }]),
    ).rejects.toThrow(/entry "xx-2020-example": preempted_by "tx-nothing" is not an entry id/);
  });

  it('reports YAML syntax errors and a missing folder', async () => {
    await expect(parsePolicySources([{ name: 'state-tx.yaml', text: 'jurisdiction: [' }])).rejects.toThrow(
      /invalid policy file state-tx\.yaml: not valid YAML/,
    );
    await expect(loadPolicies(join(tmpdir(), 'no-such-handoff-dir'))).rejects.toMatchObject({ code: 'not_found' });
  });

  it('every reviewed file keeps its research provenance', async () => {
    const text = await readFile(join(DEFAULT_POLICIES_DIR, 'state-ma.yaml'), 'utf8');
    expect(text).toContain('research_row: 28');
    const set = await loadPolicies();
    const rows = set.entries.map((e) => e.research_row).filter((r): r is number => r !== null);
    // Each research row is carried once, except one split into several entries (San Francisco, row 74).
    expect(rows.filter((r) => r !== 74)).toEqual([...new Set(rows.filter((r) => r !== 74))]);
    expect(rows.length).toBeGreaterThanOrEqual(87);
  });

  it('checks injunctions, agreements, covers_counties and unified systems', async () => {
    const name = 'county-48453-travis-tx.yaml';
    await expect(parsePolicySources([{ name, text: TX_COUNTY.replace('preempted_by: null', 'preempted_by: null\n    enjoins: [xx-nothing]').replace('honors_detainers: no_holds', 'honors_detainers: context') }]))
      .rejects.toThrow(/enjoins "xx-nothing", which is not an entry id/);
    await expect(parsePolicySources([{ name, text: TX_COUNTY.replace('kind: ordinance', 'kind: injunction') }]))
      .rejects.toThrow(/an injunction sets no rule of its own/);
    await expect(parsePolicySources([{ name, text: TX_COUNTY.replace('kind: ordinance', 'kind: agreement_287g') }]))
      .rejects.toThrow(/287\(g\) agreement sets no rule of its own/);
    await expect(parsePolicySources([{ name, text: TX_COUNTY.replace('fips: "48453" }', 'fips: "48453", covers_counties: ["48453"] }') }]))
      .rejects.toThrow(/covers_counties are for cities only/);
    await expect(parsePolicySources([{ name, text: TX_COUNTY.replace('fips: "48453" }', 'fips: "48453", unified_jail_system: true }') }]))
      .rejects.toThrow(/unified_jail_system is for states only/);
    await expect(parsePolicySources([{ name, text: TX_COUNTY.replace('scope: [county_jails]', 'scope: [jails]') }]))
      .rejects.toThrow(/scope\/0 must be one of/);
    const set = await parsePolicySources([{ name, text: TX_COUNTY }]);
    expect(set.entries[0]).toMatchObject({ enjoins: [], agreement_287g: null, preemption_blocked_by: null, review_note: null });
  });
});
