/**
 * The registry of CLI commands. Adding a command: a file in this folder and one line here.
 */
import type { ParseArgsConfig } from 'node:util';
import type { CommandResult, Output } from '../output.ts';
import { claimCommand } from './claim.ts';
import { demoCommand } from './demo.ts';
import { exportCommand } from './export.ts';
import { ingestCommand } from './ingest.ts';
import { inspectCommand } from './inspect.ts';
import { policyCommand } from './policy.ts';
import { queryCommand } from './query.ts';
import { reportCommand } from './report.ts';
import { serveCommand } from './serve.ts';
import { startCommand } from './start.ts';
import { statusCommand } from './status.ts';

export interface CommandContext {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  stdout: Output;
  stderr: Output;
  env: NodeJS.ProcessEnv;
  now: () => Date;
}

export interface Command {
  args: string;
  summary: string;
  help?: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** The values --format takes for this command, when they are not the printer's. */
  formats?: string[];
  run(ctx: CommandContext): Promise<CommandResult & { exitCode?: number }>;
}

export const COMMANDS: Record<string, Command> = {
  ingest: ingestCommand,
  inspect: inspectCommand,
  status: statusCommand,
  query: queryCommand,
  export: exportCommand,
  policy: policyCommand,
  demo: demoCommand,
  serve: serveCommand,
  start: startCommand,
  report: reportCommand,
  claim: claimCommand,
};
