import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { openEphemeralStateStore } from '../store/state/open-state-store.js';
import { holdJobLock } from './job-lock.js';

describe('job lock', () => {
  it('one holder at a time; released, it can be taken again', async () => {
    const state = openEphemeralStateStore();
    const held = await holdJobLock(state.locks, 'sync', Date.now);
    await expect(holdJobLock(state.locks, 'sync', Date.now)).rejects.toThrow(/another segflow process .* is running "sync" for this mapping: wait for it to finish/);
    await held.release();
    await (await holdJobLock(state.locks, 'sync', Date.now)).release();
    await state.close();
  });

  it('a holder killed on this machine (its pid is gone) does not block the next job', async () => {
    const state = openEphemeralStateStore();
    // Pid 2^22 + 1 is above Linux's pid_max default: no such process.
    expect(await state.locks.acquire('sync', `${hostname()}:4194305:dead`, 60_000, Date.now())).toBe(true);
    const held = await holdJobLock(state.locks, 'sync', Date.now);
    expect(await state.locks.holder('sync', Date.now())).toMatch(new RegExp(`^${hostname()}:${process.pid}:`));
    await held.release();
    await state.close();
  });
});
