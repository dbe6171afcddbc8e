import { RollingWindow } from '../../../../core/sync/simulation/index.js';
import type { TokenKind } from './token-registry.js';

/**
 * HubSpot's two request limits (vendor-facts.md 1.1): a rolling 10-second
 * burst limit per app (the private app and the OAuth app each have one) and
 * a daily limit per account, shared by all apps, that resets at midnight
 * (the account's time zone; the fake account lives in UTC). Both are applied
 * on arrival; a refused call uses up neither.
 */
export interface RateGateLimits {
  /** Calls per rolling interval. @default 100 (Free/Starter private app) */
  requests: number;
  /** @default 10_000 */
  intervalMs: number;
  /** Calls per day. @default 250_000 */
  daily: number;
}

export type Admission = 'admitted' | 'TEN_SECONDLY_ROLLING' | 'DAILY';

const DAY_MS = 86_400_000;

export class RateGate {
  private readonly windows = new Map<TokenKind, RollingWindow>();
  private day = Number.NaN;
  private usedToday = 0;

  constructor(private readonly limits: RateGateLimits) {}

  admit(now: number, app: TokenKind): Admission {
    this.rollDay(now);
    if (this.usedToday >= this.limits.daily) return 'DAILY';
    if (!this.window(app).tryAcquire(now)) return 'TEN_SECONDLY_ROLLING';
    this.usedToday += 1;
    return 'admitted';
  }

  /**
   * The `X-HubSpot-RateLimit-*` headers. The daily pair is not sent on
   * OAuth-authorised calls, as HubSpot documents.
   */
  headers(now: number, app: TokenKind): Record<string, string> {
    this.rollDay(now);
    const headers: Record<string, string> = {
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(this.limits.intervalMs),
      'X-HubSpot-RateLimit-Max': String(this.limits.requests),
      'X-HubSpot-RateLimit-Remaining': String(this.window(app).remaining(now)),
    };
    if (app === 'private-app') {
      headers['X-HubSpot-RateLimit-Daily'] = String(this.limits.daily);
      headers['X-HubSpot-RateLimit-Daily-Remaining'] = String(Math.max(0, this.limits.daily - this.usedToday));
    }
    return headers;
  }

  private window(app: TokenKind): RollingWindow {
    let window = this.windows.get(app);
    if (!window) {
      window = new RollingWindow(this.limits.requests, this.limits.intervalMs);
      this.windows.set(app, window);
    }
    return window;
  }

  private rollDay(now: number): void {
    const day = Math.floor(now / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.usedToday = 0;
    }
  }
}
