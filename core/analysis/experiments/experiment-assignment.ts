import type { ExperimentConfig } from '../../config/analysis-schema.js';
import { assignArm, type Arm } from './holdout-assignment.js';

/** A segment as the segments table holds it. */
export interface SegmentRecord {
  id: string;
  name: string;
  segmentation: string;
}

/** What deciding a profile's arm needs: which segments make a member, and the hash's salt and share. */
export interface ExperimentAssignment {
  id: string;
  segmentIds: ReadonlySet<string>;
  salt: string;
  holdoutShare: number;
}

/**
 * The segments an experiment's `segment` names, tried in this order: a
 * segment id, every segment of a segmentation, the segments with that name
 * ("At Risk"). The first kind that matches wins, so an id never also pulls
 * in a same-named segment of another segmentation.
 */
export function experimentSegmentIds(reference: string, segments: readonly SegmentRecord[]): Set<string> {
  for (const matches of [
    (segment: SegmentRecord) => segment.id === reference,
    (segment: SegmentRecord) => segment.segmentation === reference,
    (segment: SegmentRecord) => segment.name === reference,
  ]) {
    const found = segments.filter(matches);
    if (found.length > 0) return new Set(found.map((segment) => segment.id));
  }
  return new Set();
}

export function resolveAssignment(experiment: ExperimentConfig, segments: readonly SegmentRecord[]): ExperimentAssignment {
  return {
    id: experiment.id,
    segmentIds: experimentSegmentIds(experiment.segment, segments),
    // The id as default salt: two campaigns are independent unless told to share a split.
    salt: experiment.salt ?? experiment.id,
    holdoutShare: experiment.holdout_share,
  };
}

/**
 * A profile's arm, or null when it is not in the experiment's segment. The
 * arm depends only on the profile id and the salt (never on who else is a
 * member), so a profile that leaves the segment and comes back, or shows up
 * in a later run, keeps the arm it had.
 */
export function armOf(assignment: ExperimentAssignment, profileId: string, memberOf: readonly string[]): Arm | null {
  if (!memberOf.some((segmentId) => assignment.segmentIds.has(segmentId))) return null;
  return assignArm(profileId, { salt: assignment.salt, holdoutShare: assignment.holdoutShare });
}
