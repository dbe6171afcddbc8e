import { describe, expect, it } from 'vitest';
import { harness } from './harness.js';
import { recordingContext } from '../../../core/sync/recording-context.test-support.js';

describe('Marketo harness', () => {
  it('builds the real sink from the simulator sinkConfig plus engine-owned keys and reads back through the view', async () => {
    const simulator = await harness.startSimulator({ seed: 1, limits: { requests: 1_000 } });
    try {
      const sink = harness.createSink({ ...simulator.sinkConfig, id: 'mkto', mode: 'sync', sandbox: true, properties: {}, lists: [] });
      const context = recordingContext();
      await sink.prepare({ properties: [{ name: 'segflowTier', label: 'Tier', type: 'string' }], lists: [{ key: 'vip', name: 'segflow: VIP' }] }, context);
      const [upserted] = await sink.apply({ op: 'upsert', changes: [{ op: 'upsert', record: { profileId: 'u:1', key: 'a@example.com' }, properties: { segflowTier: 'gold' } }] }, context);
      const vendorId = upserted?.status === 'applied' ? upserted.vendorId : undefined;
      await sink.apply({ op: 'list-add', list: 'vip', changes: [{ op: 'list-add', record: { profileId: 'u:1', key: 'a@example.com', vendorId }, list: 'vip' }] }, context);
      expect(simulator.view.records().get('a@example.com')).toEqual({ vendorId, properties: { email: 'a@example.com', segflowTier: 'gold' } });
      expect(simulator.view.listMembers('segflow: VIP')).toEqual(new Set(['a@example.com']));
      expect(simulator.view.stats()).toMatchObject({ rateLimited: 0, serverErrors: 0 });
    } finally {
      await simulator.stop();
    }
  });
});
