import { describe, expect, it } from 'vitest';
import { actionUuid } from './event-uuid.js';

describe('actionUuid', () => {
  it('maps an action id to the same RFC 4122 version-5 UUID every time, and different ids to different UUIDs', () => {
    const first = actionUuid('Zq3x0mM1aB-_cD2eF4gH5i');
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(actionUuid('Zq3x0mM1aB-_cD2eF4gH5i')).toBe(first);
    expect(actionUuid('Zq3x0mM1aB-_cD2eF4gH5j')).not.toBe(first);
  });
});
