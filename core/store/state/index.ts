export { createStateStore, type StateStore } from './state-store.js';
export { openStateStore, openEphemeralStateStore, type StateLocation } from './open-state-store.js';
export type { SinkAccountState, MembershipState } from './sink-account-state.js';
export type { DeadLetter, DeadLetterFilter, DeadLetters } from './dead-letters.js';
export type { IdentityState } from './identity-state.js';
export type { RunHistory, RunRecord, RunStatus } from './run-history.js';
export type { Locks } from './locks.js';
export type { MetaState } from './meta-state.js';
export type { SuppressionList } from './suppression-list.js';
