/**
 * The CLI's errors, as a user meets them (issue 19, item 6): the real binary is spawned for each, and
 * each test checks the words that help, the exit code, and that no stack trace shows.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handoff, handoffOnTerminal, HAS_SCRIPT, STACK_FRAME } from './helpers.ts';

let dir: string;
let badCsv: string;
/** A small synthetic database (demo --scale 0.001), for serve and report. */
let demoDb: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handoff-cli-errors-'));
  badCsv = path.join(dir, 'bad.csv');
  writeFileSync(badCsv, 'Name,Color,Size\nfoo,red,1\nbar,blue,2\n');
  demoDb = path.join(dir, 'demo.duckdb');
  const built = await handoff(['demo', '--scale', '0.001', '--out', path.join(dir, 'demo'), '--db', demoDb], { timeoutMs: 120_000 });
  expect(built.code, built.stderr).toBe(0);
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = (text: string) => text.split(/\r?\n/).filter((l) => l !== '');

describe('a file that fails, on a narrow terminal (COLUMNS=60)', () => {
  it('ingest prints the whole error wrapped, the headers found and the nearest layout first', async () => {
    const r = await handoff(['ingest', badCsv, '--db', path.join(dir, 'x.duckdb')], { env: { COLUMNS: '60' } });
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([
      'handoff ingest: bad.csv, row 1: no known ICE table layout',
      '  headers found in row 1: Name, Color, Size',
      '  nearest family: detainers (0 of 76 columns matched)',
      '  (a header row was looked for in the first 30 rows)',
      '  the layouts Handoff knows, with every header variant seen,',
      '    are in reference/columns/*.csv',
    ]);
    for (const line of lines(r.stderr)) expect(line.length).toBeLessThanOrEqual(60);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    // Piped stdout is still the JSON summary, with the message whole.
    const summary = JSON.parse(r.stdout) as { files: { status: string; error: { code: string; message: string } }[] };
    expect(summary.files[0]!.status).toBe('failed');
    expect(summary.files[0]!.error.message).toContain('headers found in row 1: Name, Color, Size; nearest family: detainers');
  });

  it('ingest --format table points from the table to the message instead of cutting it in a cell', async () => {
    const r = await handoff(['ingest', badCsv, '--db', path.join(dir, 'x.duckdb'), '--format', 'table'], { env: { COLUMNS: '60' } });
    expect(r.code).toBe(1);
    // Too wide for 60 columns as a table, it is shown as records: no cell is cut.
    expect(r.stdout).toMatch(/^status +failed$/m);
    expect(r.stdout).toMatch(/^note +unknown layout: see above$/m);
    expect(r.stdout).not.toContain('…');
    expect(r.stderr).toContain('  nearest family: detainers (0 of 76 columns matched)\n');
  });

  it('inspect prints the same, wrapped, on stderr when its JSON is piped', async () => {
    const r = await handoff(['inspect', badCsv], { env: { COLUMNS: '60' } });
    expect(r.code).toBe(1);
    expect(lines(r.stderr).slice(0, 3)).toEqual([
      'handoff inspect: bad.csv, row 1: no known ICE table layout',
      '  headers found in row 1: Name, Color, Size',
      '  nearest family: detainers (0 of 76 columns matched)',
    ]);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it.skipIf(!HAS_SCRIPT)('inspect on a 60-column terminal wraps every line of its account, never cutting one', async () => {
    const r = await handoffOnTerminal(['inspect', badCsv], 60);
    expect(r.code).toBe(1);
    const shown = lines(r.stdout);
    expect(shown).toEqual([
      'bad.csv: cannot be loaded (unknown_layout)',
      '  bad.csv, row 1: no known ICE table layout',
      '    headers found in row 1: Name, Color, Size',
      '    nearest family: detainers (0 of 76 columns matched)',
      '    (a header row was looked for in the first 30 rows)',
    ]);
  });

  it('a missing file is one clear line', async () => {
    const r = await handoff(['ingest', path.join(dir, 'nope.xlsx'), '--db', path.join(dir, 'x.duckdb')], { env: { COLUMNS: '60' } });
    expect(r.code).toBe(1);
    // The path, too long for the line, goes whole to the next one: wrapped, never cut.
    expect(lines(r.stderr)).toEqual(['handoff ingest: no such file or directory:', `  ${path.join(dir, 'nope.xlsx')}`]);
  });
});

describe('did you mean', () => {
  it('a mistyped command', async () => {
    const r = await handoff(['ingset']);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)[0]).toBe('handoff: unknown command "ingset"; did you mean "ingest"?');
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('a mistyped option, spaced or with =', async () => {
    for (const args of [['ingest', '--formt', 'json', badCsv], ['ingest', '--formt=json', badCsv]]) {
      const r = await handoff(args);
      expect(r.code).toBe(2);
      expect(lines(r.stderr)).toEqual(['handoff ingest: unknown option --formt; did you mean --format?', 'Usage: handoff ingest <file|dir>...']);
    }
  });

  it('a mistyped option of report, and a mistyped value of --format', async () => {
    const place = await handoff(['report', 'state', '--plase', 'MA']);
    expect(place.code).toBe(2);
    expect(lines(place.stderr)[0]).toBe('handoff report: unknown option --plase; did you mean --place?');
    const format = await handoff(['status', '--format', 'jsn']);
    expect(format.code).toBe(2);
    expect(lines(format.stderr)).toEqual(['handoff status: --format must be one of table, json, ndjson, csv (got "jsn"); did you mean --format json?']);
  });

  it("an option of another command says whose it is; a far-off one lists the command's options", async () => {
    const other = await handoff(['status', '--place', 'MA']);
    expect(other.code).toBe(2);
    expect(lines(other.stderr)[0]).toBe('handoff status: --place is not an option of status; it is an option of handoff report');
    const far = await handoff(['status', '--zzzzzz']);
    expect(far.code).toBe(2);
    expect(lines(far.stderr)[0]).toBe('handoff status: unknown option --zzzzzz; handoff status takes --db, --format, --help (handoff status --help says what each does)');
  });

  it('a mistyped report template', async () => {
    const r = await handoff(['report', 'stat', '--db', demoDb]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual(['handoff report: no report template "stat" (did you mean "state"?); the templates are state, claim-check, or give the path of a .md file']);
  });
});

describe('serve on a port in use', () => {
  let blocker: Server;
  let port: number;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    port = (blocker.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  it('prints one line naming the port and what to do, exits 2, no stack trace', async () => {
    const started = performance.now();
    const r = await handoff(['serve', '--port', String(port), '--db', demoDb], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `handoff serve: port ${port} is already in use on 127.0.0.1 (another handoff serve, or another program): stop it, or pass another port, e.g. --port ${port + 1}, or --port 0 for any free port\n`,
    );
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stdout).toBe('');
    // It lets go of the database at once rather than counting cubes for a server that never listened.
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('on a narrow terminal the same message wraps instead of being cut', async () => {
    const r = await handoff(['serve', '--port', String(port), '--db', demoDb], { env: { COLUMNS: '60' }, timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    for (const line of lines(r.stderr)) expect(line.length).toBeLessThanOrEqual(60);
    expect(lines(r.stderr)[0]).toBe(`handoff serve: port ${port} is already in use on 127.0.0.1`);
    expect(lines(r.stderr).join(' ').replace(/\s+/g, ' ')).toContain('pass another port, e.g. --port');
    expect(lines(r.stderr).join(' ').replace(/\s+/g, ' ')).toContain('or --port 0 for any free port');
  });
});

describe('report state without --place', () => {
  it('is the nation, and says so and what to pass for one place', async () => {
    const out = path.join(dir, 'nation.html');
    const piped = await handoff(['report', 'state', '--db', demoDb, '--out', out]);
    expect(piped.code, piped.stderr).toBe(0);
    expect(JSON.parse(piped.stdout)).toMatchObject({ file: out, place: 'nation', period: 'FY2025' });
  });

  it.skipIf(!HAS_SCRIPT)('on a terminal the notes say the defaults it used', async () => {
    const r = await handoffOnTerminal(['report', 'state', '--db', demoDb, '--out', path.join(dir, 'nation2.html')], 200);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('place: the nation (the default); pass --place MA, state:MA, aor:BOS or county:25025 for one place');
    expect(r.stdout).toContain('period: FY2025 (the default)');
  });

  it('a state given by name is that state', async () => {
    const r = await handoff(['report', 'state', '--place', 'Massachusetts', '--db', demoDb, '--out', path.join(dir, 'ma.html')]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ place: 'MA' });
  });

  it('a bad place says exactly what to pass', async () => {
    const r = await handoff(['report', 'state', '--place', 'ZZ', '--db', demoDb, '--out', path.join(dir, 'zz.html')]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual(['handoff report: bad place "state:ZZ": unknown state "ZZ"; expected one of nation, state:MA, county:25025, aor:BOS, facility:CODE']);
  });
});
