import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { resolveSecret } from '../../../core/config/secrets.js';
import { ConnectorError } from '../../../core/errors/index.js';
import { CONNECTOR } from './bigquery-errors.js';

/** What the BigQuery client is given: a key's JSON, a key file, or nothing (Application Default Credentials). */
export type Ga4Credentials =
  | { kind: 'json'; credentials: Record<string, unknown> }
  | { kind: 'file'; keyFilename: string }
  | { kind: 'default' };

const ServiceAccountSchema = z.looseObject({ client_email: z.string().min(1), private_key: z.string().min(1) });

/**
 * Resolves `credentials: ${env:NAME}` at the edge. The variable holds the
 * service-account key's JSON text (how CI secrets usually carry it) or the
 * path of its key file. Messages name the variable, never its value.
 */
export async function resolveGa4Credentials(reference: string | null, env: NodeJS.ProcessEnv, sourceId: string): Promise<Ga4Credentials> {
  if (reference === null) return { kind: 'default' };
  const where = `source "${sourceId}" credentials`;
  let value: string;
  try {
    value = resolveSecret(reference, env, where);
  } catch (error) {
    throw new ConnectorError('config', 'ga4-bigquery.secret_missing', (error as Error).message, { connector: CONNECTOR });
  }
  const trimmed = value.trim();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      throw new ConnectorError('config', 'ga4-bigquery.credentials_invalid', `${where}: ${reference} starts with "{" but is not valid JSON; paste the whole service-account key file`, { connector: CONNECTOR });
    }
    const parsed = ServiceAccountSchema.safeParse(json);
    if (!parsed.success) {
      throw new ConnectorError('config', 'ga4-bigquery.credentials_invalid', `${where}: the JSON in ${reference} has no client_email and private_key; expected a service-account key (IAM → Service accounts → Keys → JSON)`, { connector: CONNECTOR });
    }
    return { kind: 'json', credentials: parsed.data };
  }
  const info = await stat(trimmed).catch(() => null);
  if (info === null || !info.isFile()) {
    throw new ConnectorError('config', 'ga4-bigquery.credentials_missing', `${where}: ${reference} is neither a service-account key's JSON nor the path of an existing key file`, { connector: CONNECTOR });
  }
  return { kind: 'file', keyFilename: trimmed };
}
