import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands/index.ts';
import { nearest } from './text.ts';

describe('nearest command', () => {
  const known = Object.keys(COMMANDS);
  it('suggests the command a typo meant', () => {
    expect(nearest('ingset', known)).toBe('ingest');
    expect(nearest('stauts', known)).toBe('status');
    expect(nearest('Serve', known)).toBe('serve');
    expect(nearest('inspekt', known)).toBe('inspect');
  });
  it('suggests nothing for a word far from every command', () => {
    expect(nearest('xyz', known)).toBeUndefined();
    expect(nearest('downloadall', known)).toBeUndefined();
  });
});
