import { compile } from '../../core/triggers/trigger-fixtures.test-support.js';

/** The trigger the crash test's parent seeds timers with and its children fire: one abandoned-cart wait per cart. */
export const CRASH_TRIGGERS = compile({
  allowed_lateness: '1m',
  rules: [{ id: 'cart', kind: 'absence', purpose: 'marketing', after: 'Product Added', absent: 'Order Completed', within: '30m', key: 'cart_id', actions: [{ sink: 'hubspot', kind: 'hubspot:event' }] }],
});
