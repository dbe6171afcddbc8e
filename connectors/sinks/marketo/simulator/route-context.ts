import type { FaultPlan, SimRequest, SimResponse, SimulatorStats } from '../../../../core/sync/simulation/index.js';
import type { CampaignStore } from './campaign-store.js';
import type { LeadStore, Lead } from './lead-store.js';
import type { ListStore } from './list-store.js';

/** What a route handler gets: the request (a `_method=GET` POST already turned into a GET), the account state, and the latency to serve. */
export interface RouteContext {
  request: SimRequest;
  requestId: string;
  /** Waits the configured response latency. Every handler calls it once, before answering. */
  latency(): Promise<void>;
  leads: LeadStore;
  lists: ListStore;
  faults: FaultPlan;
  stats: SimulatorStats;
  folderIds: ReadonlySet<number>;
  campaigns: CampaignStore;
  now(): number;
}

export type RouteHandler = (context: RouteContext) => Promise<SimResponse>;

export function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Default fields of a lead read (Marketo's documented default set). */
export const DEFAULT_LEAD_FIELDS = ['email', 'updatedAt', 'createdAt', 'lastName', 'firstName'];

export function leadOutput(lead: Lead, fieldNames: readonly string[]): Record<string, unknown> {
  const output: Record<string, unknown> = { id: lead.id };
  for (const name of fieldNames) {
    if (name === 'id') continue;
    if (name === 'createdAt') output[name] = isoSeconds(lead.createdAt);
    else if (name === 'updatedAt') output[name] = isoSeconds(lead.updatedAt);
    else output[name] = lead.values[name] ?? null;
  }
  return output;
}

/** Comma-separated query values (`filterValues`, `name`, `fields`), blanks dropped. */
export function commaList(raw: string | null): string[] {
  return (raw ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value.length > 0);
}

/** Ids from a `{input:[{id}]}` body, else from `id` query parameters (both are documented). */
export function inputIds(request: SimRequest): unknown[] {
  const body = request.body as { input?: unknown } | undefined;
  if (body && Array.isArray(body.input)) return body.input.map((item: unknown) => (typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : item));
  return request.query.getAll('id').flatMap((value) => commaList(value)).map(Number);
}
