import type { ClusterKind, ClusterProfile } from './cluster-profile.js';

/**
 * A cluster profile from the z-scores a test cares about, so naming tests read
 * as "a cluster with frequency +1.8σ and sessions/week +1.5σ". Means are set
 * to the z-score (naming never reads them).
 */
export function syntheticProfile(label: number, zScores: Readonly<Record<string, number>>, kind: ClusterKind = 'cluster'): ClusterProfile {
  const features = Object.entries(zScores).map(([feature, z]) => ({ feature, mean: z, z }));
  const distinguishing = [...features].sort((a, b) => Math.abs(b.z) - Math.abs(a.z)).slice(0, 3);
  return { label, kind, size: 100, share: 0.1, features, distinguishing };
}
