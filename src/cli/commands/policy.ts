import { CliError } from '../../core/errors.ts';
import { describePolicy, isIsoDate, loadPolicies, parsePlaceKey, policyAt, policyTimeline } from '../../policy/index.ts';
import type { Command } from './index.ts';

export const policyCommand: Command = {
  args: '<place> [--at DATE]',
  summary: "a place's detainer policy on a date, or its whole timeline, with citations",
  help: [
    'Places: MA or state:MA, county:48453, city:MA:boston.',
    'With --at, the entry that decides on that date (state, county and city precedence; a state law that',
    'mandates compliance overrides a local restriction) and every entry in force; without it, the timeline.',
    '',
    'Options:',
    '  --at YYYY-MM-DD        the date to evaluate',
  ].join('\n'),
  options: { at: { type: 'string' } },
  async run(ctx) {
    const [placeText] = ctx.positionals;
    if (!placeText) throw new CliError('name a place, e.g. handoff policy MA --at 2017-08-01');
    const { place, key } = parsePlaceKey(placeText);
    const policies = await loadPolicies();
    const at = ctx.values.at as string | undefined;
    if (at !== undefined) {
      if (!isIsoDate(at)) throw new CliError(`--at must be a date like 2017-08-01 (got "${at}")`);
      const description = describePolicy(policyAt(policies, place, at));
      const decided = description.decided_by;
      const text = [
        `${key} on ${at}: ${description.regime}`,
        decided
          ? `decided by ${decided.jurisdiction} (${decided.level}), effective ${decided.effective}: ${decided.citation}`
          : 'no policy entry in force in the reviewed data',
        ...(decided ? [`  ${decided.summary}`, ...decided.sources.map((s) => `  source: ${s}`), `  confidence: ${decided.confidence}`] : []),
        ...(description.overridden.length ? [`set aside by state preemption: ${description.overridden.join(', ')}`] : []),
        ...description.notes.map((n) => `note: ${n}`),
      ].join('\n');
      return { kind: 'document', value: description, text };
    }
    const rows = policyTimeline(policies, place).map((item) => ({
      start: item.start ?? 'unknown',
      end: item.end ?? '',
      level: item.level,
      jurisdiction: item.entry.jurisdiction.name,
      honors_detainers: item.entry.honors_detainers,
      confidence: item.entry.confidence,
      citation: item.entry.citation,
    }));
    return { kind: 'rows', rows, title: `Detainer policy timeline for ${key} (reference/policies)` };
  },
};
