import { resolveDbPath } from '../core/config.ts';
import type { CommandContext } from './commands/index.ts';

/** The database path for a command: --db, then $HANDOFF_DB, then ./handoff.duckdb. */
export function dbPathOf(ctx: CommandContext): string {
  return resolveDbPath(ctx.values.db as string | undefined, ctx.env);
}
