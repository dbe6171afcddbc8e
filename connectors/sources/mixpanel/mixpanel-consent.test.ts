import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../core/events/canonical-event.js';
import { mixpanelConsent, toCanonicalEvent } from './mixpanel-event.js';

describe('Mixpanel opt-out / opt-in as Segment consent', () => {
  it('an opt-out recorded as a property denies every category', () => {
    const flags: JsonObject[] = [{ $opt_out: true }, { $mp_opt_out: true }, { mp_opt_out: 'true' }, { mp_opt_out: 1 }];
    for (const properties of flags) {
      expect(mixpanelConsent({ event: 'Page Viewed', properties: { time: 1, ...properties } })).toEqual({ categoryPreferences: {} });
    }
  });

  it("the SDKs' $opt_in event lifts an earlier opt-out without granting named categories", () => {
    const mapped = toCanonicalEvent({ event: '$opt_in', properties: { time: 1_700_000_000, distinct_id: 'u1' } }, 'p');
    expect(mapped.ok && mapped.event.context.consent).toEqual({ mixpanelOptIn: true });
  });

  it('sets no consent for ordinary events or a false flag', () => {
    expect(mixpanelConsent({ event: 'Page Viewed', properties: { time: 1, $opt_out: false, mp_opt_out: 'no' } })).toBeNull();
  });
});
