import type { ConnectorError } from '../errors/connector-error.js';

/**
 * The Sink contract (DESIGN.md "Contracts"). A sink is a vendor account that
 * holds one record per profile (a HubSpot contact, a Salesforce Contact or
 * Lead, a Marketo lead, a Segment user). The planner decides *what* must
 * change; the executor decides *when* (batching, pacing, retries); the sink
 * only translates one batch into vendor calls and reports one result per
 * change, in input order.
 */

/** What segflow writes into a vendor field. `null` clears a value segflow set earlier. */
export type PropertyValue = string | number | boolean | null;

export interface SinkRecordRef {
  /** segflow's stable profile id (`u:<userId>` / `a:<anonymousId>`). */
  profileId: string;
  /**
   * The vendor's matching key for this profile: the email for HubSpot and
   * Marketo, the external-id value for Salesforce, the userId for Segment.
   */
  key: string;
  /** The vendor's record id, when an earlier acknowledged upsert returned it. */
  vendorId?: string;
}

export type SinkChange =
  /** Create the record if missing, else update it. `properties` is the full set segflow owns (HubSpot's email upsert replaces the record). */
  | { op: 'upsert'; record: SinkRecordRef; properties: Record<string, PropertyValue> }
  /** Update only if the vendor already has the record (sync mode `enrich`); a missing record is `skipped`. */
  | { op: 'update'; record: SinkRecordRef; properties: Record<string, PropertyValue> }
  /** Add to the list/campaign/static list that represents segment membership `list`. */
  | { op: 'list-add'; record: SinkRecordRef; list: string }
  | { op: 'list-remove'; record: SinkRecordRef; list: string }
  /** Privacy deletion (GDPR/CCPA): remove the record from the vendor. */
  | { op: 'delete'; record: SinkRecordRef };

export type SinkOperation = SinkChange['op'];

/**
 * One batch handed to `apply`: a single operation (and a single list for
 * membership operations), at most `capabilities().operations[op].maxBatch`
 * changes, at most one change per record.
 */
export interface SinkBatch {
  op: SinkOperation;
  /** Set for list-add / list-remove: the segflow list key all changes share. */
  list?: string;
  changes: readonly SinkChange[];
}

export type ChangeResult =
  | {
      status: 'applied';
      /** The vendor's record id (upsert/update), so later membership calls can use it. */
      vendorId?: string;
      /** True when the vendor created the record (upsert). */
      created?: boolean;
    }
  /** Nothing to do, by the vendor's word: already a member, not a member, no such record (update/delete). */
  | { status: 'skipped'; reason: string }
  /** This change failed; `error.kind` says whether a retry can help. */
  | { status: 'failed'; error: ConnectorError };

export interface OperationCapability {
  /** Largest batch the vendor accepts for this operation in one call. */
  maxBatch: number;
}

export interface SinkCapabilities {
  operations: Partial<Record<SinkOperation, OperationCapability>>;
  /**
   * The vendor's published request limit for one account: at most `requests`
   * calls in any rolling `intervalMs` window. `null` when the vendor has none
   * that a sync can reach (Salesforce's is daily).
   */
  rateLimit: { requests: number; intervalMs: number } | null;
  /** Requests in flight at once for one account. */
  concurrency: number;
  /** Membership operations need the vendor's record id (HubSpot, Salesforce, Marketo do). */
  membershipNeedsVendorId: boolean;
  /** Behavior-flow kinds this sink can fire; mirrors `Sink.actions.kinds` (empty until triggers land). */
  triggerKinds: readonly string[];
}

/**
 * An action to deliver once (the triggers issue): a HubSpot custom event, a
 * Salesforce Platform Event, a Marketo campaign request. `id` is derived
 * from what caused it (trigger, profile, the event or timer that fired it), so a
 * replay after a crash produces the same id, and sinks pass it to the vendor
 * as the idempotency key where the vendor has one (HubSpot event `uuid`,
 * Platform Event field, Marketo token) — delivery is at-least-once, the id
 * makes it effectively once.
 */
export interface SinkAction {
  id: string;
  /** One of `ActionCapability.kinds`, e.g. `hubspot:event`, `salesforce:platform-event`, `marketo:campaign`. */
  kind: string;
  /** The flow/event/campaign the mapping names. */
  target: string;
  record: SinkRecordRef;
  occurredAt: string;
  properties: Readonly<Record<string, PropertyValue>>;
}

/**
 * The optional capability to fire flows. Delivery (core/sync/delivery/deliver.ts)
 * paces, retries and bisects actions through the same account queue as
 * record sync; the caller records each action's outcome (delivered, or dead-lettered).
 */
export interface ActionCapability {
  kinds: readonly string[];
  /** Largest batch of actions of one kind and target in one call. */
  maxBatch: number;
  /**
   * Checks (and where the vendor lets segflow, creates) what the mapping's
   * actions name before the first delivery: a HubSpot event definition, a
   * Marketo campaign that can be requested, a Platform Event and its fields.
   * Idempotent. Throws a ConnectorError whose message names the target and
   * what is missing, so `validate --online` and `serve` can refuse to start.
   */
  prepare?(targets: readonly ActionTargetSpec[], context: SinkContext): Promise<void>;
  /** Exactly one result per action, in order; throws only when the whole call failed. */
  deliver(actions: readonly SinkAction[], context: SinkContext): Promise<ChangeResult[]>;
}

/** One (kind, target) the mapping's triggers send to, with the payload fields they fill. */
export interface ActionTargetSpec {
  kind: string;
  target: string;
  /** Payload field names (vendor property / token / field names) the mapping fills. */
  fields: readonly string[];
}

/** What the mapping wants to exist in the vendor before records are written. */
export interface SinkSchemaSpec {
  properties: readonly SinkPropertySpec[];
  /** List keys with the display name segflow gives the vendor list/campaign. */
  lists: ReadonlyArray<{ key: string; name: string }>;
}

export interface SinkPropertySpec {
  name: string;
  label: string;
  type: 'string' | 'number' | 'bool' | 'datetime' | 'enumeration';
  /** Enumeration: several values at once (HubSpot checkbox, values joined with `;`). */
  multiple?: boolean;
  /** Enumeration options (segment names). */
  options?: readonly string[];
}

export interface SinkContext {
  /**
   * Runs one vendor HTTP request through the account's rate-limited queue.
   * Every call a sink makes to the vendor must go through here, so the pace
   * is set by the published limits, once, for all work on the account.
   */
  request<T>(label: string, call: () => Promise<T>): Promise<T>;
  signal: AbortSignal;
  now(): number;
  /**
   * The sync run this call belongs to: the same for every retry of a change
   * within the run, different in the next run. Sinks that give the vendor an
   * idempotency key scope it by this, so a replay after a lost answer is
   * dropped by the vendor while a value that comes back in a later run
   * (A, B, then A again) is not mistaken for a replay.
   */
  runId?: string;
}

export interface Sink {
  readonly kind: `sink:${string}`;
  /** The vendor endpoint and credentials this sink uses: one queue (and one limit) per value. */
  readonly account: string;
  /**
   * The vendor account's identity, as the vendor reveals it (HubSpot portal
   * id, Salesforce org id, Marketo instance, a hash of the Segment write
   * key), prefixed with the type and base URL. Acknowledged state is kept
   * under it, so a sink pointed at another account starts from that
   * account's own state. Without it, `account` is used.
   */
  identify?(context: SinkContext): Promise<string>;
  /** Present when the sink can fire flows (see ActionCapability). */
  readonly actions?: ActionCapability;
  capabilities(): SinkCapabilities;
  /**
   * Makes sure the properties and lists of `spec` exist (find by name, else
   * create). Idempotent: runs at the start of every sync.
   */
  prepare(spec: SinkSchemaSpec, context: SinkContext): Promise<void>;
  /**
   * Applies one batch. Returns exactly one result per change, in input order.
   * Throws a ConnectorError only when the whole batch failed (auth, outage,
   * throttling): `retryable` errors carry `retryAfterMs` when the vendor said,
   * and `throttled` when the vendor rate-limited the call.
   */
  apply(batch: SinkBatch, context: SinkContext): Promise<ChangeResult[]>;
  close?(): Promise<void>;
}
