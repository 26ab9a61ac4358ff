/**
 * One writer at a time: an exclusive lock file beside the database, holding the writer's pid. A lock
 * left by a process that no longer runs (killed with -9) is taken over, so a crash never blocks.
 */
import { openSync, closeSync, writeSync, readFileSync, unlinkSync } from 'node:fs';
import { HandoffError } from '../core/errors.ts';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock at `path`; returns a function that releases it. */
export function acquireLock(path: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new HandoffError('database', `another Handoff process (pid ${pid}) is writing to this database; wait for it to finish`);
      }
      unlinkSync(path);
    }
  }
  throw new HandoffError('database', `cannot take the lock ${path}`);
}

export { isAlive };
