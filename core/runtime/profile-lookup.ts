/**
 * The profile API's answers, as pure functions of an in-memory snapshot of
 * the last run (profile-snapshot.ts builds it): no I/O, so a lookup costs a
 * Map get and never waits behind a load or a run.
 */
export type FeatureValue = number | string | boolean | null;

export interface SegmentRef {
  readonly id: string;
  readonly name: string;
}

/**
 * A profile as served: only what the mapping lists. `withheld` when its
 * consent does not cover the API at all; otherwise the fields whose own
 * consent it does not cover are absent and named in `withheldFields`
 * (`segments` or a feature name), so a caller can tell "not consented" from
 * "no value".
 */
export type ServedProfile =
  | {
    readonly profileId: string;
    /** Absent when the segments list is withheld for consent. */
    readonly segments?: readonly SegmentRef[];
    readonly features: Readonly<Record<string, FeatureValue>>;
    readonly withheldFields?: readonly string[];
  }
  | { readonly profileId: string; readonly withheld: 'consent' };

export interface ProfileSnapshot {
  /** The run whose tables this snapshot copies, when known. */
  readonly runId: string | null;
  readonly builtAt: number;
  /** `u:<userId>`, `a:<anonymousId>`, `e:<sha256 hex>` → profile. */
  readonly byKey: ReadonlyMap<string, ServedProfile>;
  readonly profiles: number;
  /** Features the mapping lists that the last run did not compute (reported, not served). */
  readonly missingFeatures: readonly string[];
}

export type ProfileAnswer =
  | { status: 200; body: ServedProfileBody }
  | { status: 400 | 404; body: { error: string } };

export type ServedProfileBody =
  | { profileId: string; segments?: readonly SegmentRef[]; features: Readonly<Record<string, FeatureValue>>; withheld?: readonly string[] }
  | { profileId: string; segments: readonly []; features: Record<string, never>; consent: 'withheld' };

const EMAIL_PREFIX = 'email_sha256:';
const SHA256_HEX = /^[0-9a-f]{64}$/i;

/** Which snapshot keys an API id can mean, or an error for a malformed email hash. */
export function keysForId(id: string): { keys: string[] } | { error: string } {
  if (id.startsWith(EMAIL_PREFIX)) {
    const hex = id.slice(EMAIL_PREFIX.length);
    if (!SHA256_HEX.test(hex)) return { error: 'email_sha256: expects 64 hex digits, the SHA-256 of the trimmed, lowercased email' };
    return { keys: [`e:${hex.toLowerCase()}`] };
  }
  // A userId wins over an anonymousId with the same text: userIds are the stable identity.
  return { keys: [`u:${id}`, `a:${id}`] };
}

export function answerProfileRequest(snapshot: ProfileSnapshot, id: string): ProfileAnswer {
  const parsed = keysForId(id);
  if ('error' in parsed) return { status: 400, body: { error: parsed.error } };
  for (const key of parsed.keys) {
    const profile = snapshot.byKey.get(key);
    if (profile === undefined) continue;
    if ('withheld' in profile) return { status: 200, body: { profileId: profile.profileId, segments: [], features: {}, consent: 'withheld' } };
    return {
      status: 200,
      body: {
        profileId: profile.profileId,
        ...(profile.segments !== undefined ? { segments: profile.segments } : {}),
        features: profile.features,
        ...(profile.withheldFields !== undefined && profile.withheldFields.length > 0 ? { withheld: profile.withheldFields } : {}),
      },
    };
  }
  // The same answer for "never seen" and "erased": a caller cannot tell an erased person from a stranger.
  return { status: 404, body: { error: 'no profile for this id in the last run' } };
}
