import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isHandoffError } from '../core/errors.ts';
import { DEFAULT_OFFENSE_REFERENCE_DIR, loadOffenseReference } from './index.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Copies the real reference to a temp folder and applies `edit` to one file's text. */
function withEditedFile(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'offense-ref-'));
  dirs.push(dir);
  cpSync(DEFAULT_OFFENSE_REFERENCE_DIR, dir, { recursive: true });
  const target = path.join(dir, file);
  writeFileSync(target, edit(readFileSync(target, 'utf8')));
  return dir;
}

function loadError(dir: string): { message: string; code: string; details: unknown } {
  try {
    loadOffenseReference(dir);
  } catch (e) {
    if (!isHandoffError(e)) throw e;
    return { message: e.message, code: e.code, details: e.details };
  }
  throw new Error('expected loadOffenseReference to fail');
}

const append = (line: string) => (text: string) => `${text.trimEnd()}\n${line}\n`;

describe('loadOffenseReference validation', () => {
  it('loads the shipped tables', () => {
    expect(() => loadOffenseReference()).not.toThrow();
  });

  it('rejects an unknown category, naming file and line', () => {
    const dir = withEditedFile('charge-texts.csv', append('Jaywalking,,jaywalk,'));
    const err = loadError(dir);
    expect(err.code).toBe('invalid_reference');
    expect(err.message).toMatch(/charge-texts\.csv line \d+: unknown category "jaywalk"/);
    const lines = readFileSync(path.join(dir, 'charge-texts.csv'), 'utf8').trimEnd().split('\n').length;
    expect(err.details).toMatchObject({ line: lines });
  });

  it('rejects a mapping to the reserved unknown category', () => {
    const err = loadError(withEditedFile('charge-texts.csv', append('Jaywalking,,unknown,')));
    expect(err.message).toMatch(/charge-texts\.csv line \d+: "unknown" is kept/);
  });

  it('rejects overlapping code ranges, naming both lines', () => {
    const err = loadError(withEditedFile('code-ranges.csv', append('1310,1320,simple_assault,Assault,')));
    expect(err.message).toMatch(/code-ranges\.csv line \d+: range .* overlaps range .* on line \d+/);
  });

  it('rejects a code that is not 4 digits', () => {
    const err = loadError(withEditedFile('code-ranges.csv', append('999,999,homicide,Homicide,')));
    expect(err.message).toMatch(/code-ranges\.csv line \d+: code_from must be a 4-digit NCIC code, found "999"/);
  });

  it('rejects a range that runs backwards', () => {
    const err = loadError(withEditedFile('code-ranges.csv', append('8010,8001,other,X,')));
    expect(err.message).toMatch(/code_from 8010 is after code_to 8001/);
  });

  it('rejects duplicate texts once normalized', () => {
    const err = loadError(withEditedFile('charge-texts.csv', append('"ASSAULT  ",,simple_assault,')));
    expect(err.message).toMatch(/charge-texts\.csv line \d+: charge_text "ASSAULT" duplicates "Assault" on line \d+/);
  });

  it('rejects a text whose ncic_code maps elsewhere', () => {
    const err = loadError(withEditedFile('charge-texts.csv', append('Robbery Something,1313,robbery,')));
    expect(err.message).toMatch(/ncic_code 1313 maps to "simple_assault" \(code-ranges\.csv line \d+\) but this text says "robbery"/);
  });

  it('rejects a malformed ncic_code and one outside every range', () => {
    expect(loadError(withEditedFile('charge-texts.csv', append('Xyz,12a4,other,'))).message).toMatch(
      /ncic_code must be blank or 4 digits/,
    );
    expect(loadError(withEditedFile('charge-texts.csv', append('Xyz,8001,other,'))).message).toMatch(
      /ncic_code 8001 is in no range/,
    );
  });

  it('rejects a bad header', () => {
    const err = loadError(withEditedFile('text-patterns.csv', (t) => t.replace('pattern,category,note', 'regex,category,note')));
    expect(err.message).toMatch(/text-patterns\.csv line 1: the header must be "pattern,category,note"/);
  });

  it('rejects invalid and non-portable patterns', () => {
    expect(loadError(withEditedFile('text-patterns.csv', append('\\b(unclosed,other,'))).message).toMatch(
      /text-patterns\.csv line \d+: pattern .* is not a valid regular expression/,
    );
    expect(loadError(withEditedFile('text-patterns.csv', append('(?<=x)y,other,'))).message).toMatch(/uses "\(\?"/);
    expect(loadError(withEditedFile('text-patterns.csv', append('Assault,other,'))).message).toMatch(/upper-case/);
  });

  it('rejects a violence flag that disagrees with the named definitions', () => {
    const err = loadError(
      withEditedFile('categories.csv', (t) => t.replace(/^(dui,[^\n]*),false,false$/m, '$1,false,true')),
    );
    expect(err.message).toMatch(/categories\.csv line \d+: broad_violent for "dui" is true/);
  });

  it('checks inchoate patterns like text patterns (shared RE2 subset, header)', () => {
    expect(loadError(withEditedFile('inchoate-patterns.csv', append('\\bATTEMPT\\b,upper case'))).message).toMatch(
      /inchoate-patterns\.csv line \d+: pattern .* has upper-case letters/,
    );
    expect(loadError(withEditedFile('inchoate-patterns.csv', append('(?i)attempt,flag'))).message).toMatch(
      /inchoate-patterns\.csv line \d+: pattern .* uses "\(\?"/,
    );
    expect(loadError(withEditedFile('inchoate-patterns.csv', (t) => t.replace(/^pattern,note/, 'pattern,category'))).message).toMatch(
      /inchoate-patterns\.csv line 1: the header must be "pattern,note"/,
    );
    expect(loadOffenseReference().inchoatePatterns.length).toBeGreaterThan(0);
  });

  it('rejects a missing required category and a missing file', () => {
    expect(loadError(withEditedFile('categories.csv', (t) => t.replace(/^burglary,.*\n/m, ''))).message).toMatch(
      /required category "burglary" is missing/,
    );
    const dir = withEditedFile('categories.csv', (t) => t);
    rmSync(path.join(dir, 'text-patterns.csv'));
    expect(loadError(dir).message).toMatch(/text-patterns\.csv: cannot read the file/);
  });
});
