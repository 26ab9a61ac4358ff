/**
 * The `handoff` command line: parses arguments, dispatches to cli/commands/<verb>.ts, prints what the
 * command returns through cli/output.ts. The only place that calls process.exit.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, isHandoffError } from '../core/errors.ts';
import { printResult, type CommandResult, type OutputFormat } from './output.ts';
import { COMMANDS, type Command, type CommandContext } from './commands/index.ts';
import { formatError, nearest, widthOf, wrap } from './text.ts';

export { nearest } from './text.ts';

const GLOBAL_OPTIONS = {
  db: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** The help text: every command with its one-line summary, fitted to `width` when one is given. */
export function usage(width?: number): string {
  const narrow = width !== undefined && width < 100;
  const commandLines = Object.entries(COMMANDS).map(([name, c]) => {
    const left = `  ${`${name} ${c.args}`.padEnd(34)} `;
    // On a narrow terminal each summary goes under its command, indented, rather than beside it.
    return narrow ? `${wrap(`  ${name} ${c.args}`, width, '      ')}\n${wrap(`      ${c.summary}`, width, '      ')}` : `${left}${c.summary}`;
  });
  const lines = [
    'handoff: ICE detainer data, linked and measured',
    '',
    'Usage: handoff <command> [options]',
    '',
    'Commands:',
    ...commandLines,
    '',
    'Global options:',
    '  --db FILE              the database (default ./handoff.duckdb, or $HANDOFF_DB)',
    '  --format FORMAT        table | json | ndjson | csv (default: table on a terminal, JSON when piped)',
    '  -h, --help             help for a command',
    '',
    'Exit codes: 0 done; 1 a file, the data or the database failed; 2 a mistake in the command',
    '(an unknown command or option, a bad value, a port in use); 70 an error in Handoff itself.',
  ];
  return `${lines.map((l) => (l.includes('\n') ? l : wrap(l, width, ' '.repeat(25)))).join('\n')}\n`;
}

/** The options a command takes, as they are typed (`--format`, `-h`). */
function optionNames(command: Command): string[] {
  const options = { ...GLOBAL_OPTIONS, ...command.options } as NonNullable<ParseArgsConfig['options']>;
  return Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]);
}

/**
 * Words for an option the command does not take: the one it likely meant, or the commands that do
 * take it, or where to find the options.
 */
export function unknownOptionMessage(verb: string, option: string): string {
  const command = COMMANDS[verb]!;
  const names = optionNames(command);
  const bare = option.replace(/^-+/, '').split('=')[0]!;
  const near = bare.length > 1 ? nearest(bare, names.filter((n) => n.startsWith('--')).map((n) => n.slice(2))) : undefined;
  if (near) return `unknown option ${option}; did you mean --${near}?`;
  const others = Object.entries(COMMANDS)
    .filter(([name, c]) => name !== verb && Object.hasOwn(c.options, bare))
    .map(([name]) => name);
  if (others.length) return `${option} is not an option of ${verb}; it is an option of handoff ${others.join(', handoff ')}`;
  return `unknown option ${option}; handoff ${verb} takes ${names.filter((n) => n.startsWith('--')).join(', ')} (handoff ${verb} --help says what each does)`;
}

/** Node's parseArgs messages about a value, in our words. */
function parseArgsMessage(message: string): string {
  const missing = /^Option '(-[^' ]+)(?:, (--[^' ]+))?(?: <value>)?' argument missing/.exec(message);
  if (missing) return `${missing[2] ?? missing[1]} needs a value after it`;
  const flag = /^Option '(-[^' ]+)(?:, (--[^' ]+))?' does not take an argument/.exec(message);
  if (flag) return `${flag[2] ?? flag[1]} takes no value: write ${flag[2] ?? flag[1]} alone`;
  return message;
}

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(usage(widthOf(process.stdout, process.env)));
    return verb ? 0 : 2;
  }
  const command = COMMANDS[verb];
  if (!command) {
    const near = nearest(verb, Object.keys(COMMANDS));
    const width = widthOf(process.stderr, process.env);
    process.stderr.write(`${formatError('handoff: ', `unknown command "${verb}"${near ? `; did you mean "${near}"?` : ''}`, width)}\n\n${usage(width)}`);
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
      const near = nearest(requested, formats);
      throw new CliError(`--format must be one of ${formats.join(', ')} (got "${requested}")${near ? `; did you mean --format ${near}?` : ''}`);
    }
    // A command with formats of its own (export) reads --format itself; the printer uses the default.
    const format = command.formats ? undefined : (requested as OutputFormat | undefined);
    const ctx: CommandContext = {
      values,
      positionals: parsed.positionals,
      // The widths are read when used, so a resized terminal is followed.
      stdout: { write: (t) => void process.stdout.write(t), isTTY: Boolean(process.stdout.isTTY), get columns() { return widthOf(process.stdout, process.env); } },
      stderr: { write: (t) => void process.stderr.write(t), isTTY: Boolean(process.stderr.isTTY), get columns() { return widthOf(process.stderr, process.env); } },
      env: process.env,
      now: () => new Date(),
    };
    const result: CommandResult & { exitCode?: number } = await command.run(ctx);
    printResult(result, ctx.stdout, format);
    return result.exitCode ?? 0;
  } catch (error) {
    // Wrapped to the terminal (or $COLUMNS), never cut: the headline first, then each clause on its line.
    const width = widthOf(process.stderr, process.env);
    if (isHandoffError(error)) {
      process.stderr.write(`${formatError(`handoff ${verb}: `, error.describe(), width, error.code)}\n`);
      // A bad value of an argument (a place, a period) is a mistake in the command, as for CliError.
      return error instanceof CliError ? error.exitCode : error.code === 'bad_argument' ? 2 : 1;
    }
    const e = error as Error & { code?: string };
    if (e.code?.startsWith('ERR_PARSE_ARGS')) {
      const unknown = e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /option '([^']+)'/i.exec(e.message)?.[1] : undefined;
      // Node's own words end in advice about `--` that does not apply to a typo.
      const message = unknown ? unknownOptionMessage(verb, unknown) : parseArgsMessage(e.message);
      process.stderr.write(`${formatError(`handoff ${verb}: `, message, width)}\n${formatError('', `Usage: handoff ${verb} ${command.args}`.trimEnd(), width)}\n`);
      return 2;
    }
    process.stderr.write(`handoff ${verb}: unexpected error: ${e.stack ?? e.message}\n`);
    return 70;
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
