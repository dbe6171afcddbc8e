import { maskPii } from '../privacy/mask-pii.js';
import type { DeadLetter, DeadLetterFilter } from '../store/state/dead-letters.js';
import { maskKey } from '../sync/run-sync.js';
import { assertSinkExists, syncJob, type SyncJobOptions, type SyncJobResult } from './sync-job.js';
import type { Workspace } from './workspace.js';

/**
 * The dead-letter queue as an operator handles it: list what vendors
 * refused and why (keys masked), retry (un-park and sync again, once the
 * cause is fixed), or discard (stop showing them; they stay unsent until
 * the record's desired state changes).
 */
export type ListedDeadLetter = Omit<DeadLetter, 'recordKey'> & { key: string };

export interface DlqFilter {
  sinkId?: string;
  id?: number;
}

export async function dlqListJob(workspace: Workspace, filter: DlqFilter = {}): Promise<ListedDeadLetter[]> {
  const letters = await workspace.state.deadLetters.open(checked(workspace, filter));
  // Letters written by older versions kept the vendor's message raw: masked when shown.
  return letters.map(({ recordKey, ...letter }) => ({ ...letter, errorMessage: maskPii(letter.errorMessage), key: maskKey(recordKey) }));
}

export async function dlqRetryJob(workspace: Workspace, filter: DlqFilter, sync: Omit<SyncJobOptions, 'dryRun' | 'only'>): Promise<{ retried: number; sync: SyncJobResult }> {
  const retried = await workspace.state.deadLetters.retry(checked(workspace, filter));
  const result = await syncJob(workspace, { ...sync, dryRun: false, ...(filter.sinkId !== undefined ? { only: filter.sinkId } : {}) });
  return { retried, sync: result };
}

export async function dlqDiscardJob(workspace: Workspace, filter: DlqFilter): Promise<number> {
  return workspace.state.deadLetters.discard(checked(workspace, filter));
}

function checked(workspace: Workspace, filter: DlqFilter): DeadLetterFilter {
  if (filter.sinkId !== undefined) assertSinkExists(workspace, filter.sinkId);
  return { ...(filter.sinkId !== undefined ? { sinkId: filter.sinkId } : {}), ...(filter.id !== undefined ? { id: filter.id } : {}) };
}
