/**
 * Period labels of claims and reports (`FY2025`, `CY2024`, `2025-Q1`, `2025-04`, `2024-10..2025-04`)
 * turned into the `from`/`to` parameters every metric accepts. Whole months only, as the metrics are.
 */
import { HandoffError } from '../core/errors.ts';
import { monthEnd, monthIndex } from '../metrics/index.ts';

/** A period label resolved to inclusive ISO dates on month boundaries. */
export interface ReportPeriod {
  /** The label as written, e.g. `FY2025`. */
  label: string;
  /** First day, `YYYY-MM-01`. */
  from: string;
  /** Last day of the last month. */
  to: string;
  /** Words for a reader, e.g. "federal fiscal year 2025 (2024-10-01 to 2025-09-30)". */
  description: string;
}

/** The forms a period label may take, for error messages and docs. */
export const PERIOD_FORMS = ['FY2025', 'CY2024', '2025-Q1', '2025-04', '2024-10..2025-04'] as const;

const YEAR = (y: string) => Number(y) >= 1990 && Number(y) <= 2100;

function monthOk(m: string): boolean {
  const n = Number(m.slice(5, 7));
  return YEAR(m.slice(0, 4)) && n >= 1 && n <= 12;
}

/**
 * Parses a period label. Throws HandoffError('bad_argument') naming the forms it accepts.
 * FY is the federal fiscal year: FY2025 = 2024-10-01..2025-09-30.
 */
export function parsePeriodLabel(text: string): ReportPeriod {
  const label = String(text ?? '').trim();
  const fail = (why: string): never => {
    throw new HandoffError('bad_argument', `period "${label}" ${why}; write one of ${PERIOD_FORMS.join(', ')}`);
  };
  let m: RegExpExecArray | null;
  if ((m = /^FY(\d{4})$/i.exec(label))) {
    if (!YEAR(m[1]!)) fail('has a year out of range');
    const y = Number(m[1]);
    return { label: `FY${y}`, from: `${y - 1}-10-01`, to: `${y}-09-30`, description: `federal fiscal year ${y} (${y - 1}-10-01 to ${y}-09-30)` };
  }
  if ((m = /^(?:CY)?(\d{4})$/i.exec(label))) {
    if (!YEAR(m[1]!)) fail('has a year out of range');
    return { label: `CY${m[1]}`, from: `${m[1]}-01-01`, to: `${m[1]}-12-31`, description: `calendar year ${m[1]}` };
  }
  if ((m = /^(\d{4})-Q([1-4])$/i.exec(label))) {
    if (!YEAR(m[1]!)) fail('has a year out of range');
    const first = monthIndex(`${m[1]}-${String((Number(m[2]) - 1) * 3 + 1).padStart(2, '0')}`);
    return { label: `${m[1]}-Q${m[2]}`, from: `${m[1]}-${String((Number(m[2]) - 1) * 3 + 1).padStart(2, '0')}-01`, to: monthEnd(first + 2), description: `calendar quarter ${m[2]} of ${m[1]}` };
  }
  if ((m = /^(\d{4}-\d{2})$/.exec(label))) {
    if (!monthOk(m[1]!)) fail('is not a month');
    return { label: m[1]!, from: `${m[1]}-01`, to: monthEnd(monthIndex(m[1]!)), description: `the month ${m[1]}` };
  }
  if ((m = /^(\d{4}-\d{2})\.\.(\d{4}-\d{2})$/.exec(label))) {
    if (!monthOk(m[1]!) || !monthOk(m[2]!)) fail('has a month that does not exist');
    if (m[1]! > m[2]!) fail('ends before it starts');
    const to = monthEnd(monthIndex(m[2]!));
    return { label, from: `${m[1]}-01`, to, description: `${m[1]}-01 to ${to}` };
  }
  return fail('is not a period');
}
