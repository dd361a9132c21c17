import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is one process's database: a second process opening the same files would corrupt them.
 * This lock file (holding the owner's pid) makes a second opener fail with a clear message; a
 * lock left by a process that died is taken over.
 */
export function lockPgliteDir(dir: string): { release(): void } {
  const file = path.join(dir, '.bizosaas.lock');
  fs.mkdirSync(dir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return {
        release() {
          try {
            if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.unlinkSync(file);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(fs.readFileSync(file, 'utf8'));
      if (owner && owner !== process.pid && alive(owner)) {
        throw new AppError('conflict', `The embedded database in ${dir} is in use by process ${owner}.`);
      }
      fs.unlinkSync(file);
    }
  }
  throw new AppError('conflict', `Could not lock the embedded database in ${dir}.`);
}
