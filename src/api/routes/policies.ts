/** /api/policies.json (jurisdictions) and /api/policies/<place>.json (timeline, or policy at a date). */
import { Hono } from 'hono';
import type { ConsideredEntry, JurisdictionRow, PolicyAt, PolicyEntryRow } from '../../contract/index.ts';
import { HandoffError } from '../../core/errors.ts';
import { describePolicy, isIsoDate, listJurisdictions, parsePlaceKey, policyAt, policyTimeline, successionNote } from '../../policy/index.ts';
import { checkParams, splitName, withService, type ApiDeps } from '../context.ts';
import { metaOf, sendRows } from '../envelope.ts';

export function policiesRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  app.get('/policies.json', async (c) => {
    checkParams(c, []);
    return withService(deps, async (service) => {
      const rows = listJurisdictions(service.policies).map((j): JurisdictionRow => ({ id: j.id, level: j.level, name: j.name, state: j.state, fips: j.fips, entry_count: j.entry_count, url: `/api/policies/${j.id}.json` }));
      return sendRows(c, 'json', rows, metaOf({ releases: [], mode: deps.mode, now: deps.now, extra: { source: 'reference/policies (reviewed research table)' } }));
    });
  });
  app.get('/policies/:file', async (c) => {
    const { name } = splitName(c.req.param('file'), ['json']);
    const params = checkParams(c, ['at']);
    // Checked here so the refusal names the parameter (the policy module's own message does not).
    if (params.at !== undefined && !isIsoDate(params.at)) throw new HandoffError('bad_argument', `at="${params.at}" is not a date written YYYY-MM-DD`);
    return withService(deps, async (service) => {
      const key = parsePlaceKey(name);
      const meta = metaOf({ releases: [], mode: deps.mode, now: deps.now, extra: { place: key.key, source: 'reference/policies (reviewed research table)' } });
      if (params.at !== undefined) {
        const described: PolicyAt = describePolicy(policyAt(service.policies, key.place, params.at));
        return sendRows<ConsideredEntry>(c, 'json', described.rows, meta, { policy: described });
      }
      const rows = policyTimeline(service.policies, key.place).map((t): PolicyEntryRow => ({
        entry_id: t.entry.id,
        level: t.level,
        jurisdiction_id: t.entry.jurisdiction.id,
        jurisdiction: t.entry.jurisdiction.name,
        // Whom the entry binds, and its place in the succession (the same words as `handoff policy`).
        scope: t.entry.scope,
        kind: t.entry.kind,
        agreement_287g: t.entry.agreement_287g,
        honors_detainers: t.entry.honors_detainers,
        release_notification: t.entry.release_notification,
        context_only: t.contextOnly,
        succession_note: successionNote(t),
        start: t.start,
        start_precision: t.startPrecision,
        end: t.end,
        end_precision: t.endPrecision,
        preempted_by: t.entry.preempted_by,
        confidence: t.entry.confidence,
        summary: t.entry.summary,
        citation: t.entry.citation,
        primary_citation: t.entry.primary_citation,
        sources: t.entry.sources,
      }));
      return sendRows(c, 'json', rows, meta);
    });
  });
  return app;
}
