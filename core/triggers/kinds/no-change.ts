/**
 * The empty list a kind's step returns when it fires nothing, sets or
 * cancels no timer: one shared, frozen array instead of three new ones per
 * step. Most steps are no-ops (every event is shown to every trigger), so
 * those arrays were a large share of the engine's garbage. Frozen, so a
 * caller that tried to push onto it would fail loudly rather than leak.
 */
export const NOTHING: readonly never[] = Object.freeze([]);
