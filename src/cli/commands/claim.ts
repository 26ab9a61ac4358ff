/**
 * `handoff claim [<id>]`: lists the reviewed claims, or evaluates one on the loaded data and writes it
 * as JSON (the API's `claim` object), HTML or PDF (the claim-check template). The work is in
 * src/reports.
 */
import { MetricsService, type Mode } from '../../metrics/index.ts';
import { openReadOnly } from '../../pipeline/index.ts';
import { evaluateClaim, loadClaim, loadClaims } from '../../reports/index.ts';
import { dbPathOf } from '../db-path.ts';
import type { Command } from './index.ts';
import { formatOf, writeReport } from './report.ts';

export const claimCommand: Command = {
  args: '[<id>] [--format json|html|pdf] [--out FILE]',
  summary: 'list the reviewed claims, or check one against the loaded data (JSON, HTML or PDF)',
  help: [
    'Claims are reviewed files in reference/claims/<id>.yaml (docs/claims.md). Without an id, lists them.',
    'With an id, evaluates its metric queries through the metrics service (public mode unless --private)',
    'and prints the result as JSON, or renders the claim-check report as HTML or PDF.',
    '',
    'Options:',
    '  --format json|html|pdf  default json',
    '  --out FILE              for html/pdf (default claim-<id>.<format>; "-" writes HTML to stdout)',
    '  --release ID            pin every figure to one release',
    '  --api-base URL          prefix of API links in the report',
    '  --private               lift small-cell suppression (never publish the result)',
  ].join('\n'),
  options: {
    out: { type: 'string' },
    release: { type: 'string' },
    'api-base': { type: 'string' },
    private: { type: 'boolean' },
  },
  formats: ['json', 'html', 'pdf', 'table'],
  async run(ctx) {
    const [id] = ctx.positionals;
    if (!id) {
      const claims = await loadClaims();
      return {
        kind: 'rows',
        rows: claims.map((c) => ({ id: c.id, said_on: c.said_on, organization: c.speaker.organization, source_status: c.source_status, queries: c.queries.length, title: c.title })),
        title: 'Reviewed claims (reference/claims)',
      };
    }
    const format = formatOf(ctx, ['json', 'html', 'pdf', 'table'], 'json');
    if (format === 'html' || format === 'pdf') {
      return writeReport(ctx, { template: 'claim-check', claimId: id, format, out: ctx.values.out as string | undefined, defaultName: `claim-${id}` });
    }
    const mode: Mode = ctx.values.private ? 'private' : 'public';
    const claim = await loadClaim(id);
    const store = await openReadOnly(dbPathOf(ctx));
    try {
      const service = await MetricsService.create(store, { mode });
      const evaluated = await evaluateClaim(service, claim, { release: ctx.values.release as string | undefined });
      if (format === 'json') {
        ctx.stdout.write(`${JSON.stringify(evaluated, null, 2)}\n`);
        return { kind: 'none' };
      }
      return {
        kind: 'sections',
        value: evaluated,
        sections: evaluated.queries.map((q) => ({
          title: `${q.id}: ${q.question}\n  ${q.api_url}`,
          rows: q.rows.map((r) => ({ period: r.period, value: r.value ?? '', display: r.display ?? '', share: r.share ?? '', denominator: r.denominator ?? '' })),
        })),
        notes: [`“${evaluated.words}” — ${evaluated.speaker.organization}, ${evaluated.said_on}; source status: ${evaluated.source_status}`, ...(evaluated.limits.synthetic ? [evaluated.limits.synthetic_label!] : [])],
      };
    } finally {
      store.close();
    }
  },
};
