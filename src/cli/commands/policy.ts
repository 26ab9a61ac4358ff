/**
 * `handoff policy <place> [--at DATE] [--scope jail|prison|federal]`: a place's detainer policy on a
 * date, or its whole timeline, from the reviewed files (src/policy).
 *
 * Does: parse the place (a code, a key or a state's name, e.g. "Massachusetts"), print the deciding
 * entry with its scope, citation and sources, every entry in force with its role (overridden,
 * superseded as the deciding entry but not repealed, context only) and the notes; without --at, the
 * timeline with each entry's scope and succession note.
 * Does not: hold logic of its own (src/policy decides).
 */
import { CliError } from '../../core/errors.ts';
import {
  describePolicy,
  isIsoDate,
  loadPolicies,
  parsePlaceKey,
  policyAt,
  policyTimeline,
  successionNote,
  type DecisionScope,
} from '../../policy/index.ts';
import type { Command } from './index.ts';

const SCOPES: Record<string, DecisionScope> = {
  jail: 'county_jails',
  county_jails: 'county_jails',
  prison: 'state_prisons',
  state_prisons: 'state_prisons',
  federal: 'federal',
};

export const policyCommand: Command = {
  args: '<place> [--at DATE] [--scope jail|prison|federal]',
  summary: "a place's detainer policy on a date, or its whole timeline, with scopes and citations",
  help: [
    'Places: MA, state:MA or a state name ("Massachusetts"), county:48453, city:MA:boston.',
    'With --at, the entry that decides on that date for the custody given by --scope (default: a local jail;',
    'state, county and city precedence; a state duty to hold or ban on local limits overrides a local',
    'restriction unless a federal court order protects it) and every entry in force with its role;',
    'undated entries and entries of another scope (courts, police) are listed as context only.',
    'Without --at, the timeline, with scope and succession notes ("superseded as the deciding entry, not repealed").',
    '',
    'Options:',
    '  --at YYYY-MM-DD        the date to evaluate',
    '  --scope SCOPE          jail (default), prison or federal',
  ].join('\n'),
  options: { at: { type: 'string' }, scope: { type: 'string' } },
  async run(ctx) {
    const placeText = ctx.positionals.join(' ').trim();
    if (!placeText) throw new CliError('name a place, e.g. handoff policy MA --at 2017-08-01');
    const { place, key } = parsePlaceKey(placeText);
    const policies = await loadPolicies();
    const at = ctx.values.at as string | undefined;
    const scopeText = (ctx.values.scope as string | undefined) ?? 'jail';
    const scope = SCOPES[scopeText];
    if (!scope) throw new CliError(`--scope must be jail, prison or federal (got "${scopeText}")`);
    if (at !== undefined) {
      if (!isIsoDate(at)) throw new CliError(`--at must be a date like 2017-08-01 (got "${at}")`);
      const description = describePolicy(policyAt(policies, place, at, { scope }));
      const decided = description.decided_by;
      const text = [
        `${key} on ${at} (${description.scope}): ${description.regime}`,
        decided
          ? `decided by ${decided.jurisdiction} (${decided.level}; binds ${decided.scope.join(', ')}), effective ${decided.effective}: ${decided.citation}`
          : description.regime === 'federal'
            ? 'federal facility: no state or local rule decides'
            : 'no dated policy entry decides in the reviewed data',
        ...(decided ? [`  ${decided.summary}`, ...decided.sources.map((s) => `  source: ${s}`), `  confidence: ${decided.confidence}`] : []),
        ...description.rows
          .filter((r) => r.role !== 'decides')
          .map((r) => `${r.role}: ${r.entry_id} (${r.jurisdiction}; ${r.scope}; ${r.honors_detainers}; from ${r.effective}) - ${r.why}`),
        ...description.notes.map((n) => `note: ${n}`),
      ].join('\n');
      return { kind: 'document', value: description, text };
    }
    const rows = policyTimeline(policies, place).map((item) => ({
      start: item.start ?? 'unknown',
      end: item.end ?? '',
      level: item.level,
      jurisdiction: item.entry.jurisdiction.name,
      scope: item.entry.scope.join(', '),
      honors_detainers: item.entry.honors_detainers,
      note: successionNote(item) ?? '',
      confidence: item.entry.confidence,
      citation: item.entry.citation,
    }));
    return { kind: 'rows', rows, title: `Detainer policy timeline for ${key} (reference/policies)` };
  },
};
