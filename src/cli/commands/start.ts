import { stat } from 'node:fs/promises';
import path from 'node:path';
import { DB_ENV_VAR, DEFAULT_DB_PATH } from '../../core/config.ts';
import { SYNTHETIC_LABEL } from '../../core/synthetic.ts';
import { ensureWebBuilt } from '../build-web.ts';
import { dbPathOf } from '../db-path.ts';
import { buildDemo, DEMO_SCALE, DEMO_SEED } from './demo.ts';
import type { Command } from './index.ts';
import { serveCommand } from './serve.ts';

export const startCommand: Command = {
  args: '[--port N] [--host H]',
  summary: 'the main job: build the demo database when none is configured, then serve',
  help: [
    `With no --db and no $${DB_ENV_VAR}, and no ./${DEFAULT_DB_PATH} yet, builds one from a synthetic`,
    `release (${SYNTHETIC_LABEL}, seed ${DEMO_SEED}, scale ${DEMO_SCALE}), then serves it like \`handoff serve\`.`,
  ].join('\n'),
  options: serveCommand.options,
  async run(ctx) {
    const dbPath = dbPathOf(ctx);
    const configured = ctx.values.db !== undefined || ctx.env[DB_ENV_VAR] !== undefined;
    const exists = await stat(dbPath).then((s) => s.isFile(), () => false);
    if (!exists && !configured) {
      ctx.stderr.write(`No database at ${dbPath}: building one from ${SYNTHETIC_LABEL} (about a minute, once).\n`);
      const outDir = path.resolve('demo-data', `seed-${DEMO_SEED}-scale-${DEMO_SCALE}`);
      const { summary, generateSeconds } = await buildDemo({
        seed: DEMO_SEED,
        scale: DEMO_SCALE,
        outDir,
        dbPath,
        stderr: ctx.stderr,
        now: ctx.now,
      });
      ctx.stderr.write(
        `Built ${dbPath}: ${summary.files.reduce((n, f) => n + (f.rows ?? 0), 0)} rows of ${SYNTHETIC_LABEL} ` +
          `(generated in ${generateSeconds.toFixed(0)} s, ingested in ${summary.seconds.toFixed(0)} s).\n`,
      );
    }
    await ensureWebBuilt((line) => ctx.stderr.write(line));
    return serveCommand.run(ctx);
  },
};
