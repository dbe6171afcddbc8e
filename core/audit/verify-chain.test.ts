import { describe, expect, it } from 'vitest';
import { entryHash, GENESIS_HASH, sealEntry, type AuditDetail, type StoredAuditEntry } from './audit-entry.js';
import { canonicalJson } from './canonical-json.js';
import { describeVerdict, verifyChain, type ChainHead } from './verify-chain.js';

const KEY = 'k'.repeat(32);

/** A trail as the state store would hold it, each entry sealed on the previous one's hash. */
function trail(details: AuditDetail[], key?: string | ((seq: number) => string | undefined)): StoredAuditEntry[] {
  const entries: StoredAuditEntry[] = [];
  for (const [index, detail] of details.entries()) {
    const seq = index + 1;
    const entryKey = typeof key === 'function' ? key(seq) : key;
    entries.push(sealEntry({ seq, at: `2026-12-0${seq}T00:00:00.000Z`, kind: 'run', actor: 'segflow@test', detail, prev: entries.at(-1)?.hash ?? GENESIS_HASH }, entryKey));
  }
  return entries;
}

const headOf = (entries: readonly StoredAuditEntry[]): ChainHead => ({ seq: entries.at(-1)?.seq ?? 0, hash: entries.at(-1)?.hash ?? GENESIS_HASH });
const five = () => trail([1, 2, 3, 4, 5].map((runs) => ({ runId: `r${runs}`, profiles: runs * 10 })));

/** Rewrites entries from `from` on with fresh hashes, as someone without the key can. */
function rehash(entries: StoredAuditEntry[], from: number): StoredAuditEntry[] {
  const out = entries.slice(0, from - 1);
  for (const entry of entries.slice(from - 1)) {
    const unsealed = { ...entry, detail: JSON.parse(entry.detail) as AuditDetail, prev: out.at(-1)?.hash ?? GENESIS_HASH };
    out.push({ ...sealEntry(unsealed, undefined) });
  }
  return out;
}

describe('verifyChain', () => {
  it('passes an intact trail and an empty one', () => {
    const entries = five();
    expect(verifyChain(entries, headOf(entries), undefined)).toEqual({ intact: true, entries: 5, head: headOf(entries), macs: 'none' });
    expect(describeVerdict(verifyChain([], { seq: 0, hash: GENESIS_HASH }, undefined))).toBe('audit trail is empty');
  });

  it('names the entry whose detail was edited', () => {
    const entries = five();
    entries[2] = { ...entries[2] as StoredAuditEntry, detail: canonicalJson({ runId: 'r3', profiles: 31 }) };
    expect(verifyChain(entries, headOf(entries), undefined)).toMatchObject({ intact: false, seq: 3, reason: expect.stringContaining('edited') as string });
  });

  it('names an entry whose detail is no longer its canonical JSON, even when it parses to the same value', () => {
    const entries = five();
    entries[1] = { ...entries[1] as StoredAuditEntry, detail: ' {"profiles":20,"runId":"r2"}' };
    expect(verifyChain(entries, headOf(entries), undefined)).toMatchObject({ intact: false, seq: 2 });
  });

  it('names a deleted entry by the gap it leaves, and a deleted first entry', () => {
    const entries = five();
    const head = headOf(entries);
    expect(verifyChain([...entries.slice(0, 3), ...entries.slice(4)], head, undefined)).toMatchObject({ intact: false, seq: 4, reason: 'entry #4 is missing: the trail goes from #3 to #5' });
    expect(verifyChain(entries.slice(1), head, undefined)).toMatchObject({ intact: false, seq: 1, reason: 'entry #1 is missing: the trail starts at #2' });
  });

  it('names the newest entries deleted, through the head the trail recorded', () => {
    const entries = five();
    expect(verifyChain(entries.slice(0, 3), headOf(entries), undefined)).toMatchObject({ intact: false, seq: 4, reason: expect.stringContaining('head records #5') as string });
    expect(verifyChain(entries, undefined, undefined)).toMatchObject({ intact: false, reason: expect.stringContaining('head record') as string });
  });

  it('names the first of two entries whose places were swapped (seq renumbered to hide it)', () => {
    const entries = five();
    const [second, third] = [entries[1] as StoredAuditEntry, entries[2] as StoredAuditEntry];
    entries[1] = { ...third, seq: 2 };
    entries[2] = { ...second, seq: 3 };
    expect(verifyChain(entries, headOf(entries), undefined)).toMatchObject({ intact: false, seq: 2 });
  });

  it('catches an entry re-hashed after an edit at the next entry, whose prev no longer matches', () => {
    const entries = five();
    const edited = { ...entries[2] as StoredAuditEntry, detail: canonicalJson({ runId: 'r3', profiles: 0 }) };
    edited.hash = entryHash({ ...edited, detail: { runId: 'r3', profiles: 0 } });
    entries[2] = edited;
    expect(verifyChain(entries, headOf(entries), undefined)).toMatchObject({ intact: false, seq: 4, reason: expect.stringContaining('does not follow entry #3') as string });
  });

  it('cannot tell a whole chain rewritten from the edit on without the key; with the key it names the newest entry', () => {
    const entries = five();
    entries[2] = { ...entries[2] as StoredAuditEntry, detail: canonicalJson({ runId: 'r3', profiles: 0 }) };
    const rewritten = rehash(entries, 3);
    expect(verifyChain(rewritten, headOf(rewritten), undefined).intact).toBe(true);
    const keyed = trail([1, 2, 3, 4, 5].map((runs) => ({ runId: `r${runs}`, profiles: runs * 10 })), KEY);
    keyed[2] = { ...keyed[2] as StoredAuditEntry, detail: canonicalJson({ runId: 'r3', profiles: 0 }) };
    const forged = rehash(keyed, 3);
    expect(verifyChain(forged, headOf(forged), KEY)).toMatchObject({ intact: false, seq: 3, reason: expect.stringContaining('no MAC although earlier entries have one') as string });
    const allForged = rehash(keyed, 1);
    expect(verifyChain(allForged, headOf(allForged), KEY)).toMatchObject({ intact: false, seq: 5, reason: expect.stringContaining('has no MAC although SEGFLOW_AUDIT_KEY is set') as string });
  });

  it('checks MACs with the key, refuses a different key, and says when they were not checked', () => {
    const entries = trail([{ a: 1 }, { a: 2 }], KEY);
    expect(verifyChain(entries, headOf(entries), KEY)).toMatchObject({ intact: true, macs: 'checked' });
    expect(verifyChain(entries, headOf(entries), 'x'.repeat(32))).toMatchObject({ intact: false, seq: 1, reason: expect.stringContaining('MAC that does not match') as string });
    const unchecked = verifyChain(entries, headOf(entries), undefined);
    expect(unchecked).toMatchObject({ intact: true, macs: 'unchecked' });
    expect(describeVerdict(unchecked)).toContain('MACs not checked');
  });

  it('keeps a trail begun before the key was set valid, but not one that drops the key later', () => {
    const keyedLater = trail([{ a: 1 }, { a: 2 }, { a: 3 }], (seq) => (seq >= 2 ? KEY : undefined));
    expect(verifyChain(keyedLater, headOf(keyedLater), KEY)).toMatchObject({ intact: true, macs: 'checked' });
    const droppedLater = trail([{ a: 1 }, { a: 2 }, { a: 3 }], (seq) => (seq <= 2 ? KEY : undefined));
    expect(verifyChain(droppedLater, headOf(droppedLater), KEY)).toMatchObject({ intact: false, seq: 3 });
  });
});

describe('canonicalJson', () => {
  it('gives one text whatever the key order', () => {
    expect(canonicalJson({ b: [1, { d: 'x', c: null }], a: true })).toBe('{"a":true,"b":[1,{"c":null,"d":"x"}]}');
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
  });
});
