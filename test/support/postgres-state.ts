import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

/** The URL of the run's PostgreSQL database, started by postgres-global-setup.ts. */
export function postgresUrl(): string {
  return inject('postgresUrl');
}

/**
 * A schema name no other test uses (test files run in parallel against one
 * database): `<prefix>_<random>`, valid for openPostgresClient.
 */
export function freshSchema(prefix: string): string {
  const base = prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 40);
  // pg_ is reserved for PostgreSQL's own schemas.
  const safe = /^[a-z_]/.test(base) && !base.startsWith('pg_') ? base : `t_${base}`;
  return `${safe}_${randomBytes(6).toString('hex')}`;
}
