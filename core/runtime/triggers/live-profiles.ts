import type { DuckDBConnection } from '@duckdb/node-api';
import type { JsonObject, JsonValue } from '../../events/canonical-event.js';
import type { SuppressionCheck } from '../../privacy/suppressions.js';
import type { StateStore } from '../../store/state/state-store.js';
import type { TriggerProfile } from '../../triggers/guards/guard-types.js';
import type { TriggerProfileLookup } from '../../triggers/trigger-engine.js';
import type { FedEvent } from './event-feed.js';
import { DEFAULT_CONSENT_POLICY, grantsByCategory, type ConsentPolicy } from '../../privacy/consent-decision.js';

/**
 * What the live trigger engine knows of each profile between runs: who an
 * event belongs to (the identity graph the last run saved, extended with
 * identifiers seen since), and the latest traits and consent, folded from
 * the events as they are fed and, for a profile first met, read from the
 * event store. Consent follows Segment's rules (consent-decision.ts): no
 * consent object ever means no enforcement unless the mapping requires
 * consent; an object grants exactly the categories set true (an empty one
 * grants none). Suppressed (erased) profiles never fire.
 *
 * Known gap: an anonymous visitor who identifies later is joined to the
 * user's profile only at the next run's stitching; until then the live
 * engine keeps the anonymous id's pending matches apart.
 */
interface Known {
  traits: Map<string, { value: JsonValue; at: number }>;
  consent: { json: string; at: number } | undefined;
}

export class LiveProfiles implements TriggerProfileLookup {
  private profileOf = new Map<string, string>();
  private keysOf = new Map<string, string[]>();
  private readonly known = new Map<string, Known>();
  private suppressed: SuppressionCheck = { size: 0, has: () => false };

  constructor(
    private readonly duck: DuckDBConnection,
    private readonly state: StateStore,
    private readonly purposes: readonly string[],
    /** The erasure list (the state's and the mapping's shared file). */
    private readonly loadSuppressed: () => Promise<SuppressionCheck>,
    /** `privacy.consent.required` of the mapping (consentPolicyOf). @default not required */
    private readonly consentPolicy: ConsentPolicy = DEFAULT_CONSENT_POLICY,
  ) {}

  /** Reloads the identity graph and the suppression list (after a run, a forget). */
  async refresh(): Promise<void> {
    const profileOf = new Map<string, string>();
    const keysOf = new Map<string, string[]>();
    for (const node of await this.state.identity.nodes()) {
      profileOf.set(node.identifier, node.profileId);
      const keys = keysOf.get(node.profileId);
      if (keys === undefined) keysOf.set(node.profileId, [node.identifier]);
      else keys.push(node.identifier);
    }
    this.profileOf = profileOf;
    this.keysOf = keysOf;
    this.suppressed = await this.loadSuppressed();
    // Merges may have moved identifiers: what was folded under an old profile id is read again on demand.
    this.known.clear();
  }

  /** The profile an event belongs to; a new identifier joins the profile of the event's other identifier. */
  resolve(fed: FedEvent): string {
    const user = fed.userId === null ? undefined : `u:${fed.userId}`;
    const anonymous = fed.anonymousId === null ? undefined : `a:${fed.anonymousId}`;
    const profile = (user && this.profileOf.get(user)) ?? (anonymous && this.profileOf.get(anonymous)) ?? user ?? anonymous ?? fed.idKey;
    for (const key of [user, anonymous]) {
      if (key === undefined || this.profileOf.has(key)) continue;
      this.profileOf.set(key, profile);
      const keys = this.keysOf.get(profile);
      if (keys === undefined) this.keysOf.set(profile, [key]);
      else keys.push(key);
    }
    return profile;
  }

  /** Folds a fed event's traits and consent into what is known of its profile (only once the profile was read, else the read covers it). */
  observe(profileId: string, fed: FedEvent): void {
    const known = this.known.get(profileId);
    if (known !== undefined) fold(known, fed.traits, fed.consent, fed.event.timestamp);
  }

  async lookup(profileIds: readonly string[]): Promise<Map<string, TriggerProfile>> {
    const missing = profileIds.filter((id) => !this.known.has(id));
    if (missing.length > 0) await this.readFromStore(missing);
    const result = new Map<string, TriggerProfile>();
    for (const profileId of profileIds) {
      const known = this.known.get(profileId) as Known;
      const traits: JsonObject = {};
      for (const [name, { value }] of known.traits) traits[name] = value;
      const zone = traits.timezone ?? traits.time_zone;
      result.set(profileId, {
        timeZone: typeof zone === 'string' ? zone : undefined,
        consent: grants(known.consent?.json, this.purposes, this.consentPolicy),
        suppressed: this.isSuppressed(profileId, traits),
        traits,
      });
    }
    return result;
  }

  private isSuppressed(profileId: string, traits: JsonObject): boolean {
    if (this.suppressed.size === 0) return false;
    if (this.suppressed.has(`profile:${profileId}`)) return true;
    const email = traits.email;
    return typeof email === 'string' && this.suppressed.has(email.trim().toLowerCase());
  }

  private async readFromStore(profileIds: readonly string[]): Promise<void> {
    const keyOwner = new Map<string, string>();
    for (const profileId of profileIds) {
      this.known.set(profileId, { traits: new Map(), consent: undefined });
      for (const key of this.keysOf.get(profileId) ?? [profileId]) keyOwner.set(key, profileId);
    }
    const keys = [...keyOwner.keys()];
    for (let start = 0; start < keys.length; start += 500) {
      const chunk = keys.slice(start, start + 500);
      const reader = await this.duck.runAndReadAll(
        `SELECT id_key, traits, consent, epoch_ms(ts) FROM events WHERE id_key IN (${chunk.map((_, index) => `$${index + 1}`).join(', ')}) AND (traits IS NOT NULL OR consent IS NOT NULL) ORDER BY ts`,
        chunk,
      );
      for (const [idKey, traits, consent, at] of reader.getRows() as Array<[string, string | null, string | null, bigint | number]>) {
        const known = this.known.get(keyOwner.get(idKey) as string) as Known;
        fold(known, traits === null ? null : (JSON.parse(traits) as JsonObject), consent, Number(at));
      }
    }
  }
}

function fold(known: Known, traits: JsonObject | null, consent: string | null, at: number): void {
  if (traits !== null) {
    for (const [name, value] of Object.entries(traits)) {
      if (value === null || value === undefined) continue;
      const current = known.traits.get(name);
      if (current === undefined || current.at <= at) known.traits.set(name, { value, at });
    }
  }
  if (consent !== null && (known.consent === undefined || known.consent.at <= at)) known.consent = { json: consent, at };
}

/** Purpose → granted, by Segment's consent rules (core/privacy/consent-decision.ts; names match case-insensitively). */
export function grants(consentJson: string | undefined, purposes: readonly string[], policy: ConsentPolicy = DEFAULT_CONSENT_POLICY): Record<string, boolean> {
  return grantsByCategory(consentJson, purposes, policy);
}
