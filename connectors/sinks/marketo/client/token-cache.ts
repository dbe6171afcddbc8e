/**
 * The Marketo access token, shared by every call of one sink. Marketo hands
 * back the *same* token with its remaining life when asked again before
 * expiry, so there is nothing to gain from refreshing early: a call that
 * meets 601/602 invalidates the token it used and waits for one shared
 * refresh (single-flight, field-lessons.md §5.6 "thundering herd").
 */
export interface IssuedToken {
  value: string;
  expiresInSeconds: number;
}

export interface TokenCache {
  /** A token believed valid: the cached one, or the result of the one refresh in flight. */
  current(): Promise<string>;
  /** Marketo rejected `token`; forget it unless a newer one already replaced it. */
  invalidate(token: string): void;
  /** Identity calls made so far (tests check the single flight). */
  readonly requests: number;
}

export function createTokenCache(issue: () => Promise<IssuedToken>, now: () => number): TokenCache {
  let cached: { value: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  let requests = 0;

  function refresh(): Promise<string> {
    pending ??= (async () => {
      try {
        requests += 1;
        const issued = await issue();
        cached = { value: issued.value, expiresAt: now() + issued.expiresInSeconds * 1_000 };
        return issued.value;
      } finally {
        pending = undefined;
      }
    })();
    return pending;
  }

  return {
    current() {
      if (pending) return pending;
      if (cached && now() < cached.expiresAt) return Promise.resolve(cached.value);
      return refresh();
    },
    invalidate(token) {
      if (cached?.value === token) cached = undefined;
    },
    get requests() {
      return requests;
    },
  };
}
