/**
 * Runs the real `handoff` binary as a user would, with stdout and stderr piped, and (where util-linux
 * `script` is installed) on a pseudo-terminal of a chosen width.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

export const BIN = path.resolve(import.meta.dirname, '../../bin/handoff.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a run: no colour, no inherited database, the width asked for. */
function envOf(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  delete env.HANDOFF_DB;
  delete env.HANDOFF_TRACE;
  delete env.HANDOFF_TEST_PAUSE_AT;
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k];
  return env;
}

/** `node bin/handoff.js ...args`, piped, waited for. */
export function handoff(args: string[], options: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: envOf(options.env ?? {}), cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** True when util-linux `script` can give the binary a pseudo-terminal. */
export const HAS_SCRIPT = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * `handoff ...args` on a pseudo-terminal `columns` wide (stdout and stderr both the terminal, merged
 * as a terminal shows them), through `script`. Carriage returns are kept: progress redraws use them.
 */
export function handoffOnTerminal(args: string[], columns: number, options: { env?: Record<string, string | undefined>; timeoutMs?: number } = {}): Promise<Run> {
  const command = `stty cols ${columns} rows 40 2>/dev/null; exec ${quote(process.execPath)} ${[BIN, ...args].map(quote).join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: envOf({ COLUMNS: undefined, ...options.env }), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Node's stack frames, which a user-facing error must never show. */
export const STACK_FRAME = /^\s+at .+[:(]/m;
