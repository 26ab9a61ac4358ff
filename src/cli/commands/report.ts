/**
 * `handoff report <template>`: renders a report template (reference/report-templates/<name>.md) on
 * the loaded data to a self-contained HTML file or a PDF. The work is in src/reports.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { CliError } from '../../core/errors.ts';
import { MetricsService, type Mode } from '../../metrics/index.ts';
import { openReadOnly } from '../../pipeline/index.ts';
import { stateByName } from '../../geo/index.ts';
import { htmlToPdf, loadClaim, renderReport, TEMPLATES_DIR, type RenderedReport } from '../../reports/index.ts';
import { nearest } from '../text.ts';
import { dbPathOf } from '../db-path.ts';
import type { CommandResult } from '../output.ts';
import type { Command, CommandContext } from './index.ts';

/** Renders and writes a report; shared by `handoff report` and `handoff claim`. */
export async function writeReport(
  ctx: CommandContext,
  o: { template: string; claimId?: string; format: 'html' | 'pdf'; out?: string; defaultName: string },
): Promise<CommandResult & { exitCode?: number }> {
  const mode: Mode = ctx.values.private ? 'private' : 'public';
  const store = await openReadOnly(dbPathOf(ctx));
  let report: RenderedReport;
  try {
    const service = await MetricsService.create(store, { mode });
    report = await renderReport(service, {
      template: o.template,
      place: ctx.values.place as string | undefined,
      period: ctx.values.period as string | undefined,
      claim: o.claimId ? await loadClaim(o.claimId) : undefined,
      release: ctx.values.release as string | undefined,
      apiBase: ctx.values['api-base'] as string | undefined,
      now: ctx.now,
    });
  } finally {
    store.close();
  }
  const out = o.out ?? `${o.defaultName}.${o.format}`;
  if (o.format === 'html' && out === '-') {
    ctx.stdout.write(report.html);
    return { kind: 'none' };
  }
  const bytes = o.format === 'pdf' ? await htmlToPdf(report.html) : Buffer.from(report.html, 'utf8');
  await writeFile(out, bytes);
  return {
    kind: 'rows',
    rows: [{ file: out, format: o.format, bytes: bytes.length, figures: report.results.length, mode, synthetic: report.synthetic }],
    notes: [
      ...(report.synthetic ? ['The report draws on synthetic demo data and says so on every page it renders.'] : []),
      ...(mode === 'private' ? ['PRIVATE MODE: small cells are shown. Do not publish or share this report.'] : []),
    ],
  };
}

/** The period of a report when none is asked for (src/reports renders FY2025 by default). */
const DEFAULT_PERIOD = 'FY2025';

/** The names of the shipped templates (reference/report-templates/<name>.md). */
async function shippedTemplates(): Promise<string[]> {
  const files = await readdir(TEMPLATES_DIR).catch(() => [] as string[]);
  return files.filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3)).sort((a, b) => (a === 'state' ? -1 : b === 'state' ? 1 : a.localeCompare(b)));
}

/** Checks `--format` against the formats a command writes. */
export function formatOf(ctx: CommandContext, allowed: string[], fallback: string): string {
  const f = (ctx.values.format as string | undefined) ?? fallback;
  if (!allowed.includes(f)) throw new CliError(`--format must be one of ${allowed.join(', ')} (got "${f}")`);
  return f;
}

export const reportCommand: Command = {
  args: '<template> [--place MA] [--period FY2025] [--format html|pdf] [--out FILE]',
  summary: 'render a report template (state, claim-check) to a self-contained HTML file or a PDF',
  help: [
    'Templates: reference/report-templates/<name>.md (state, claim-check) or a path to a .md file.',
    'Directives ({{metric …}}, {{figure …}}, {{policy}}, claim directives): docs/claims.md.',
    'Every number links to its definition; the first page states the releases, suppression, blank lift',
    'reasons, unmatched facilities, missing identifiers and the cut-off; synthetic data are labeled.',
    '',
    'Options:',
    '  --place P              MA, state:MA, aor:BOS, county:25025 (default: nation, or the claim\'s place)',
    '  --period P             FY2025, CY2024, 2025-Q1, 2025-04, 2024-10..2025-04 (default FY2025)',
    '  --claim ID             the claim of the claim-check template (reference/claims/<id>.yaml)',
    '  --format html|pdf      default html; pdf uses Chromium (/usr/bin/chromium or $HANDOFF_CHROMIUM)',
    '  --out FILE             default <template>-<place>-<period>.<format>; "-" writes HTML to stdout',
    '  --release ID           pin every figure to one release',
    '  --api-base URL         prefix of API links in the report (default http://127.0.0.1:8787)',
    '  --private              lift small-cell suppression (never publish the result)',
  ].join('\n'),
  options: {
    place: { type: 'string' },
    period: { type: 'string' },
    claim: { type: 'string' },
    out: { type: 'string' },
    release: { type: 'string' },
    'api-base': { type: 'string' },
    private: { type: 'boolean' },
  },
  formats: ['html', 'pdf'],
  async run(ctx) {
    const [template] = ctx.positionals;
    const shipped = await shippedTemplates();
    if (!template) throw new CliError(`name a template (${shipped.join(', ')}), e.g. handoff report state --place MA --period FY2025`);
    if (/^[a-z0-9][a-z0-9-]*$/i.test(template) && !shipped.includes(template)) {
      const near = nearest(template, shipped);
      throw new CliError(`no report template "${template}"${near ? ` (did you mean "${near}"?)` : ''}; the templates are ${shipped.join(', ')}, or give the path of a .md file`);
    }
    const format = formatOf(ctx, ['html', 'pdf'], 'html') as 'html' | 'pdf';
    const claimId = ctx.values.claim as string | undefined;
    if (template === 'claim-check' && !claimId) throw new CliError('the claim-check template needs --claim ID (see handoff claim)');
    // A state's name is read as the state: "Massachusetts" means state:MA.
    const given = ctx.values.place as string | undefined;
    const named = given && /\s|^[A-Za-z.]{3,}$/.test(given.trim()) && !given.includes(':') ? stateByName(given) : undefined;
    if (named) ctx.values.place = named.postal;
    const place = ctx.values.place as string | undefined;
    const slug = (s: string | undefined) => (s ?? '').replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-|-$/g, '');
    // Without --place a report is the nation's (a claim check: its claim's place), and says so.
    const placeWord = place ?? (claimId ? undefined : 'nation');
    const period = (ctx.values.period as string | undefined) ?? (claimId ? undefined : DEFAULT_PERIOD);
    const defaultName = [slug(template.replace(/^.*\//, '').replace(/\.md$/, '')), slug(claimId), slug(placeWord), slug(period)].filter(Boolean).join('-');
    const result = await writeReport(ctx, { template, claimId, format, out: ctx.values.out as string | undefined, defaultName });
    if (result.kind !== 'rows') return result;
    const defaults = [
      named ? `place: ${named.name} (--place ${named.postal})` : '',
      !place && !claimId ? 'place: the nation (the default); pass --place MA, state:MA, aor:BOS or county:25025 for one place' : '',
      !ctx.values.period && !claimId ? `period: ${DEFAULT_PERIOD} (the default); pass --period CY2024, 2025-Q1, 2025-04 or 2024-10..2025-04 for another` : '',
    ].filter(Boolean);
    return {
      ...result,
      rows: result.rows.map((r) => ({ ...r, place: placeWord ?? 'the claim\'s place', period: period ?? 'the claim\'s period' })),
      notes: [...defaults, ...(result.notes ?? [])],
    };
  },
};
