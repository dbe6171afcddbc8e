import { describe, expect, it } from 'vitest';
import { adminAccess, isLoopbackHost } from './admin-auth.js';

describe('admin access', () => {
  it('knows loopback listeners', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'example.com', '128.0.0.1']) expect(isLoopbackHost(host)).toBe(false);
  });

  it('serves /metrics without a key only on loopback, and refuses to start elsewhere, naming the option', () => {
    expect(adminAccess(false, '127.0.0.1')).toBe('loopback-open');
    expect(adminAccess(true, '0.0.0.0')).toBe('admin-key');
    expect(adminAccess(true, '127.0.0.1')).toBe('admin-key');
    expect(() => adminAccess(false, '0.0.0.0')).toThrow(/--host 0\.0\.0\.0 is not a loopback address.*serve\.admin_api_keys/);
  });
});
