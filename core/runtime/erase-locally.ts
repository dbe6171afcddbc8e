import { eraseProfiles } from '../privacy/erase-profile.js';
import { findPerson, type ErasureSelector, type PersonMatch } from '../privacy/find-person.js';
import { eraseFromJournals, eraseFromQuarantineFiles } from '../privacy/physical-erasure.js';
import { quarantineMatcher } from '../privacy/erase-profile.js';
import { appendSuppressions } from '../privacy/suppression-file.js';
import { addSuppression } from '../privacy/suppressions.js';
import { stitchProfiles } from '../identity/stitch-profiles.js';
import type { Workspace } from './workspace.js';

/**
 * One erasure request in the local stores, shared by `segflow forget` and
 * the execution of requests that came through the ingest API: resolve the
 * person through the identity graph, make every identifier of theirs a
 * durable suppression (the shared file first, it outlives this state; then
 * the state's list), then delete their events, identity, features,
 * memberships, quarantined rows, dead letters and run-summary quotes.
 * A request that matches nobody still leaves its suppression.
 */
export type LocalSelector = ErasureSelector | { kind: 'key'; value: string };

export interface LocalErasure {
  profiles: number;
  events: number;
  quarantined: number;
  /** Nothing new: every identifier was already suppressed. */
  alreadySuppressed: boolean;
  match: PersonMatch;
  /** The raw identifiers now suppressed (for the audit trail, which hashes them). */
  suppressed: string[];
}

export interface EraseLocallyOptions {
  requestId: string;
  suppressionFile: string;
  /** Why, in the state's list: `erasure request <id> (segflow forget)`. */
  reason: string;
  /**
   * Blank the person's lines in the ingest API's journals too. Off inside
   * `segflow serve`'s scheduled runs, where the journal is being appended to.
   * @default true
   */
  journals?: boolean;
}

export async function eraseLocally(workspace: Workspace, selector: LocalSelector, options: EraseLocallyOptions): Promise<LocalErasure> {
  const personal = selector.kind !== 'key';
  const duck = personal && workspace.hasEvents() ? (await workspace.events()).connection : undefined;
  // Events stored since the last run (the ingest API's loads) are not in identity_map yet: stitch them first,
  // so every identifier and event of the person is found, also before any run.
  if (duck) await stitchProfiles(duck, workspace.state, workspace.mapping.identity.merge_user_ids, options.requestId, workspace.now);
  const found: PersonMatch = duck && selector.kind !== 'key' ? await findPerson(duck, selector) : { profileIds: [], identifiers: [], emails: [], userIds: 0, anonymousIds: 0 };
  const requested = selector.kind === 'suppression-hash' ? [] : [selector.value];
  // The requested identifier is the person's even when nobody carries it yet: suppressed, and matched in quarantine.
  const match: PersonMatch = {
    ...found,
    identifiers: unique([...found.identifiers, ...(selector.kind === 'userId' || selector.kind === 'anonymousId' ? requested : [])]),
    emails: unique([...found.emails, ...(selector.kind === 'email' ? requested : [])]),
  };
  const suppressed = unique([...requested, ...match.identifiers, ...match.emails]);
  const added = appendSuppressions(options.suppressionFile, workspace.env, suppressed, { erasedAt: new Date(workspace.now()).toISOString(), requestId: options.requestId });
  let addedToState = false;
  for (const key of suppressed) addedToState = (await addSuppression(workspace.state, key, options.reason)) || addedToState;
  // Sinks keyed by userId or another trait are found through the profile.
  for (const profileId of match.profileIds) await addSuppression(workspace.state, `profile:${profileId}`, options.reason);
  const erased = duck ? await eraseProfiles(duck, workspace.state, match) : { profiles: 0, events: 0, quarantined: 0 };
  // Dead letters hold the raw record; quarantine files a sample of it.
  await workspace.state.deadLetters.purge(suppressed[0] ?? '', match.profileIds);
  for (const key of suppressed.slice(1)) await workspace.state.deadLetters.purge(key, []);
  // Run summaries quote failure samples and example changes by profile id.
  await workspace.state.runs.scrub(suppressed, '[erased]');
  const belongs = quarantineMatcher(match);
  const quarantinedLines = personal ? eraseFromQuarantineFiles(workspace.stateDir, belongs) : 0;
  // The ingest API's journal still holds the raw messages of its current file.
  if (personal && options.journals !== false) eraseFromJournals(workspace.stateDir, belongs);
  return { ...erased, quarantined: Math.max(erased.quarantined, quarantinedLines), alreadySuppressed: added === 0 && !addedToState, match, suppressed };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values.filter((value) => value !== ''))];
}
