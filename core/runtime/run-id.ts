import { randomUUID } from 'node:crypto';

/** Time for humans, random for uniqueness (an injected clock may stand still). */
export function newRunId(now: number, prefix = ''): string {
  return `${prefix}${new Date(now).toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
}
