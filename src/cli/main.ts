/**
 * The `handoff` command line: parses arguments, dispatches to cli/commands/<verb>.ts, prints what the
 * command returns through cli/output.ts. The only place that calls process.exit.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, isHandoffError } from '../core/errors.ts';
import { printResult, type CommandResult, type OutputFormat } from './output.ts';
import { COMMANDS, type CommandContext } from './commands/index.ts';

const GLOBAL_OPTIONS = {
  db: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** The help text: every command with its one-line summary. */
export function usage(): string {
  const lines = [
    'handoff: ICE detainer data, linked and measured',
    '',
    'Usage: handoff <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${`${name} ${c.args}`.padEnd(34)} ${c.summary}`),
    '',
    'Global options:',
    '  --db FILE              the database (default ./handoff.duckdb, or $HANDOFF_DB)',
    '  --format FORMAT        table | json | ndjson | csv (default: table on a terminal, JSON when piped)',
    '  -h, --help             help for a command',
  ];
  return `${lines.join('\n')}\n`;
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

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(usage());
    return verb ? 0 : 2;
  }
  const command = COMMANDS[verb];
  if (!command) {
    const near = nearest(verb, Object.keys(COMMANDS));
    process.stderr.write(`handoff: unknown command "${verb}"${near ? `; did you mean "${near}"?` : ''}\n\n${usage()}`);
    return 2;
  }
  try {
    const parsed = parseArgs({
      args: rest,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
    if (values.help) {
      process.stdout.write(`Usage: handoff ${verb} ${command.args}\n\n${command.summary}\n\n${command.help ?? ''}\n`);
      return 0;
    }
    const formats = command.formats ?? ['table', 'json', 'ndjson', 'csv'];
    const requested = values.format as string | undefined;
    if (requested && !formats.includes(requested)) {
      throw new CliError(`--format must be one of ${formats.join(', ')} (got "${requested}")`);
    }
    // A command with formats of its own (export) reads --format itself; the printer uses the default.
    const format = command.formats ? undefined : (requested as OutputFormat | undefined);
    const ctx: CommandContext = {
      values,
      positionals: parsed.positionals,
      stdout: { write: (t) => void process.stdout.write(t), isTTY: Boolean(process.stdout.isTTY) },
      stderr: { write: (t) => void process.stderr.write(t), isTTY: Boolean(process.stderr.isTTY) },
      env: process.env,
      now: () => new Date(),
    };
    const result: CommandResult & { exitCode?: number } = await command.run(ctx);
    printResult(result, ctx.stdout, format);
    return result.exitCode ?? 0;
  } catch (error) {
    if (isHandoffError(error)) {
      process.stderr.write(`handoff ${verb}: ${error.describe()}\n`);
      return error instanceof CliError ? error.exitCode : 1;
    }
    const e = error as Error & { code?: string };
    if (e.code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`handoff ${verb}: ${e.message}\nUsage: handoff ${verb} ${command.args}\n`);
      return 2;
    }
    process.stderr.write(`handoff ${verb}: unexpected error: ${e.stack ?? e.message}\n`);
    return 70;
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
