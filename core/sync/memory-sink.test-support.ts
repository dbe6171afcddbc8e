import { ConnectorError } from '../errors/connector-error.js';
import type { ChangeResult, Sink, SinkBatch, SinkCapabilities, SinkContext, PropertyValue } from './sink.js';

/**
 * An in-memory vendor for executor and planner tests (the vendor simulators
 * cover HTTP). `failNext` queues whole-call failures; `rejectKeys` fails
 * records permanently, as a vendor validation would.
 */
export class MemorySink implements Sink {
  readonly kind = 'sink:memory' as const;
  readonly account = 'memory';
  readonly records = new Map<string, { id: string; properties: Record<string, PropertyValue> }>();
  readonly lists = new Map<string, Set<string>>();
  readonly failNext: ConnectorError[] = [];
  rejectKeys = new Set<string>();
  calls = 0;
  creates = 0;
  private nextId = 1;

  constructor(private readonly caps: Partial<SinkCapabilities> = {}) {}

  capabilities(): SinkCapabilities {
    return {
      operations: { upsert: { maxBatch: 10 }, update: { maxBatch: 10 }, 'list-add': { maxBatch: 20 }, 'list-remove': { maxBatch: 20 }, delete: { maxBatch: 1 } },
      rateLimit: null,
      concurrency: 2,
      membershipNeedsVendorId: true,
      triggerKinds: [],
      ...this.caps,
    };
  }

  prepare(): Promise<void> {
    return Promise.resolve();
  }

  async apply(batch: SinkBatch, context: SinkContext): Promise<ChangeResult[]> {
    return context.request(batch.op, () => {
      this.calls += 1;
      const failure = this.failNext.shift();
      if (failure) return Promise.reject(failure);
      return Promise.resolve(batch.changes.map((change): ChangeResult => {
        if (this.rejectKeys.has(change.record.key)) {
          return { status: 'failed', error: new ConnectorError('permanent', 'memory.invalid', `record ${change.record.profileId} rejected: invalid value`) };
        }
        const record = this.records.get(change.record.key);
        switch (change.op) {
          case 'upsert': {
            if (record) {
              record.properties = { ...change.properties };
              return { status: 'applied', vendorId: record.id, created: false };
            }
            const id = String(this.nextId++);
            this.creates += 1;
            this.records.set(change.record.key, { id, properties: { ...change.properties } });
            return { status: 'applied', vendorId: id, created: true };
          }
          case 'update':
            if (!record) return { status: 'skipped', reason: 'not found' };
            Object.assign(record.properties, change.properties);
            return { status: 'applied', vendorId: record.id };
          case 'list-add': {
            const members = this.lists.get(change.list) ?? new Set<string>();
            this.lists.set(change.list, members);
            if (members.has(change.record.key)) return { status: 'skipped', reason: 'already a member' };
            members.add(change.record.key);
            return { status: 'applied' };
          }
          case 'list-remove':
            if (!this.lists.get(change.list)?.delete(change.record.key)) return { status: 'skipped', reason: 'not a member' };
            return { status: 'applied' };
          case 'delete':
            this.records.delete(change.record.key);
            return { status: 'applied' };
        }
      }));
    });
  }
}
