/**
 * Errors that carry where they happened. Every failure a user can cause (a bad file, a bad flag, a bad
 * query parameter) is one of these, so the CLI and the API can print a clear message instead of a stack.
 */

/** Where in an input a problem was found. Every field is optional: a zip error has no row. */
export interface InputLocation {
  file?: string;
  sheet?: string;
  /** 1-based row number as the spreadsheet shows it. */
  row?: number;
  /** Column letter (xlsx) or header name. */
  column?: string;
}

/** Stable machine-readable error codes. */
export type ErrorCode =
  | 'bad_input'
  | 'not_a_zip'
  | 'encrypted'
  | 'truncated'
  | 'zip_bomb'
  | 'too_large'
  | 'malformed_xml'
  | 'hostile_xml'
  | 'empty'
  | 'unknown_layout'
  | 'bad_value'
  | 'bad_argument'
  | 'not_found'
  | 'database'
  | 'invalid_reference'
  | 'internal';

/** A user-facing error with a code and, where one applies, the place in the input. */
export class HandoffError extends Error {
  readonly code: ErrorCode;
  readonly location: InputLocation | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { location?: InputLocation; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HandoffError';
    this.code = code;
    this.location = options.location;
    this.details = options.details;
  }

  /** The message with its location, e.g. `a.xlsx, sheet "Sheet1", row 7, column C: ...`. */
  describe(): string {
    const where = formatLocation(this.location);
    return where ? `${where}: ${this.message}` : this.message;
  }
}

/** An error the CLI turns into a message and an exit code. */
export class CliError extends HandoffError {
  readonly exitCode: number;
  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super('bad_argument', message, { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? 2;
  }
}

/** Formats a location as `file, sheet "S", row N, column C`; empty when nothing is known. */
export function formatLocation(location: InputLocation | undefined): string {
  if (!location) return '';
  const parts: string[] = [];
  if (location.file) parts.push(location.file);
  if (location.sheet) parts.push(`sheet "${location.sheet}"`);
  if (location.row !== undefined) parts.push(`row ${location.row}`);
  if (location.column) parts.push(`column ${location.column}`);
  return parts.join(', ');
}

/** True when `e` is a HandoffError (also across module copies). */
export function isHandoffError(e: unknown): e is HandoffError {
  return e instanceof HandoffError || (e instanceof Error && e.name === 'HandoffError');
}
