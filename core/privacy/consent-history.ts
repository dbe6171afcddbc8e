import type { DuckDBConnection } from '@duckdb/node-api';
import { readConsent } from './consent-decision.js';

/**
 * Consent over time, per profile and category: when each category became
 * granted or denied, read from the consent every stored event carried
 * (events.consent, joined to the profiles of the last run's identity_map).
 * A row is a change: consecutive events repeating the same answer add
 * nothing. `granted: null` means "not enforced": the profile's latest
 * consent from then on had no categoryPreferences (e.g. a Mixpanel
 * `$opt_in`), which consent-decision.ts reads as no consent data.
 * For `segflow analyze` and the report to show who withdrew what, when.
 */
export interface ConsentChange {
  profileId: string;
  /** The category as first spelled for this profile, or as declared (privacy.consent.categories). */
  category: string;
  granted: boolean | null;
  /** Event time (ms) of the consent that made the change. */
  since: number;
}

export interface ConsentEventRow {
  profileId: string;
  at: number;
  consent: string;
}

/**
 * Folds consent events (any order) into changes, by Segment's rules: each
 * consent object states every category (one it leaves out is not granted,
 * an empty one denies all). `categories` are the declared ones; the names a
 * profile's own consent uses are added to them. Pure.
 */
export function foldConsentHistory(rows: readonly ConsentEventRow[], categories: readonly string[] = []): ConsentChange[] {
  const byProfile = new Map<string, ConsentEventRow[]>();
  for (const row of rows) {
    const list = byProfile.get(row.profileId);
    if (list === undefined) byProfile.set(row.profileId, [row]);
    else list.push(row);
  }
  const changes: ConsentChange[] = [];
  for (const [profileId, events] of [...byProfile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    events.sort((a, b) => a.at - b.at);
    const spelling = new Map(categories.map((name) => [name.toLowerCase(), name]));
    const readings = events.map((event) => ({ at: event.at, reading: readConsent(event.consent) }));
    for (const { reading } of readings) {
      if (reading.kind !== 'preferences') continue;
      for (const key of reading.granted.keys()) if (!spelling.has(key)) spelling.set(key, spellingIn(events, key));
    }
    const last = new Map<string, boolean | null>();
    for (const { at, reading } of readings) {
      for (const [key, name] of spelling) {
        const granted = reading.kind === 'none' ? null : reading.kind === 'unreadable' ? false : reading.granted.get(key) === true;
        if (last.has(key) && last.get(key) === granted) continue;
        last.set(key, granted);
        changes.push({ profileId, category: name, granted, since: at });
      }
    }
  }
  return changes;
}

/** Reads the consent history of every profile (or of the given ones) from the event store. */
export async function loadConsentHistory(duck: DuckDBConnection, options: { categories?: readonly string[]; profileIds?: readonly string[] } = {}): Promise<ConsentChange[]> {
  const only = options.profileIds;
  const filter = only === undefined ? '' : only.length === 0 ? 'AND false' : `AND m.profile_id IN (${only.map((_, index) => `$${index + 1}`).join(', ')})`;
  const reader = await duck.runAndReadAll(
    `SELECT m.profile_id, epoch_ms(e.ts), e.consent FROM events e JOIN identity_map m ON m.id_key = e.id_key
     WHERE e.consent IS NOT NULL ${filter} ORDER BY m.profile_id, e.ts`,
    only === undefined || only.length === 0 ? undefined : [...only],
  );
  const rows = reader.getRows().map(([profileId, at, consent]) => ({ profileId: String(profileId), at: Number(at), consent: String(consent) }));
  return foldConsentHistory(rows, options.categories ?? []);
}

/** The spelling a profile's consent first used for a category key. */
function spellingIn(events: readonly ConsentEventRow[], key: string): string {
  for (const event of events) {
    try {
      const preferences = (JSON.parse(event.consent) as { categoryPreferences?: Record<string, unknown> }).categoryPreferences ?? {};
      const name = Object.keys(preferences).find((candidate) => candidate.toLowerCase() === key);
      if (name !== undefined) return name;
    } catch {
      // unreadable consent names nothing
    }
  }
  return key;
}
