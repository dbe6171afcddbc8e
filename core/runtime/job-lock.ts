import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { UserError } from '../errors/user-error.js';
import type { Locks } from '../store/state/locks.js';

/**
 * One sync of a mapping at a time, across processes and machines sharing its
 * state (PostgreSQL): two syncs of the same accounts would race each other's
 * acknowledgements. The lease is renewed while the job runs; a holder killed
 * with -9 on this machine is noticed at once (its pid is gone), one on
 * another machine when its lease expires.
 */
const TTL_MS = 60_000;

export interface HeldLock {
  release(): Promise<void>;
}

export async function holdJobLock(locks: Locks, name: string, now: () => number): Promise<HeldLock> {
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  if (!(await locks.acquire(name, owner, TTL_MS, now()))) {
    const holder = await locks.holder(name, now());
    if (holder !== undefined && isDeadLocalProcess(holder)) await locks.release(name, holder);
    if (!(await locks.acquire(name, owner, TTL_MS, now()))) {
      throw new UserError(`another segflow process (${holder ?? 'unknown'}) is running "${name}" for this mapping: wait for it to finish (its lease lapses ${Math.round(TTL_MS / 1000)} s after it stops)`);
    }
  }
  const renewal = setInterval(() => {
    void locks.acquire(name, owner, TTL_MS, now()).catch(() => undefined);
  }, TTL_MS / 3);
  renewal.unref();
  return {
    async release() {
      clearInterval(renewal);
      await locks.release(name, owner);
    },
  };
}

function isDeadLocalProcess(holder: string): boolean {
  const [host, pid] = holder.split(':');
  if (host !== hostname() || pid === undefined) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
