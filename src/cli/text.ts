/**
 * Text for a terminal: the width to write to, word wrapping that never drops a character, and the
 * layout of an error message (its headline first, then each of its clauses on a line of its own).
 */

/** A stream's width: the terminal's when it is one, else $COLUMNS when set, else none (no wrapping). */
export function widthOf(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv = {}): number | undefined {
  if (stream.isTTY && stream.columns && stream.columns > 0) return stream.columns;
  const fromEnv = Number(env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined;
}

/**
 * Wraps one paragraph at spaces to lines of at most `width` characters, continuation lines indented by
 * `indent`. A word longer than a line stays whole on a line of its own (a path must stay copyable), so
 * nothing is ever cut. Without a width the text is returned as it is.
 */
export function wrap(text: string, width: number | undefined, indent = ''): string {
  if (!width || text.length <= width) return text;
  // Each word with the spaces before it, so the spacing inside a line (aligned columns) is kept.
  const tokens = text.match(/\s*\S+/g) ?? [];
  const lines: string[] = [];
  let line = '';
  for (const token of tokens) {
    if (line.trim() !== '' && line.length + token.length > width) {
      lines.push(line);
      line = `${indent}${token.trimStart()}`;
    } else {
      line += token;
    }
  }
  lines.push(line);
  return lines.join('\n');
}

/** Wraps every line of a text, each continuation indented two more than the line it continues. */
export function wrapLines(text: string, width: number | undefined): string {
  if (!width) return text;
  return text
    .split('\n')
    .map((line) => wrap(line, width, `${/^\s*/.exec(line)![0]}  `))
    .join('\n');
}

/** Splits at `; ` outside parentheses, brackets and quotes: the clauses of one of our messages. */
export function clauses(message: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < message.length; i++) {
    const c = message[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '(' || c === '[')) depth++;
    else if (!quoted && (c === ')' || c === ']')) depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && c === ';' && message[i + 1] === ' ') {
      out.push(message.slice(start, i).trim());
      start = i + 2;
    }
  }
  out.push(message.slice(start).trim());
  return out.filter((c) => c !== '');
}

/**
 * An error as lines for a person: the headline (`prefix` and the first clause), then the other
 * clauses indented, each wrapped to the width. For a file of no known layout the headers found and
 * the nearest layout come first, since they are what tells the user what the file is.
 */
export function formatError(prefix: string, message: string, width: number | undefined, code?: string, indent = '  '): string {
  const parts = clauses(message);
  // A short message stays one line; a long one (or an unknown layout, whose useful part comes first) is split.
  if (code !== 'unknown_layout' && (!width || `${prefix}${message}`.length <= width)) return `${prefix}${message}`;
  let [head = '', ...rest] = parts;
  if (code === 'unknown_layout') {
    const useful = rest.filter((c) => /^(headers found|nearest)/.test(c));
    rest = [...useful, ...rest.filter((c) => !useful.includes(c))];
    // Where it looked is the least of it: after the headers and the nearest layout.
    const searched = /^(.*no known ICE table layout) found in the first (\d+) rows$/.exec(head);
    if (searched) {
      head = searched[1]!;
      rest.push(`(a header row was looked for in the first ${searched[2]} rows)`);
    }
  }
  const lines = [wrap(`${prefix}${head}`, width, indent), ...rest.map((c) => wrap(`${indent}${c}`, width, `${indent}  `))];
  return lines.join('\n');
}

/** The known word within two edits of a mistyped one (a swap counts as one), if exactly one is closest. */
export function nearest(word: string, known: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
      }
    }
    return d[a.length]![b.length]!;
  };
  const scored = known.map((k) => ({ k, d: distance(word.toLowerCase(), k) })).filter((x) => x.d <= 2).sort((a, b) => a.d - b.d);
  if (scored.length === 0 || (scored.length > 1 && scored[1]!.d === scored[0]!.d)) return undefined;
  return scored[0]!.k;
}
