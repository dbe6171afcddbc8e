import {
  ARCHETYPES,
  SIGNALS,
  SPECIAL_NAMES,
  SPECIFICITY_BONUS,
  TYPICAL_SCORE,
  featureBase,
  featureWords,
  matchesMember,
  type Archetype,
  type Signal,
} from './cluster-archetypes.js';
import type { ClusterKind, ClusterProfile, FeatureDeviation } from './cluster-profile.js';

/**
 * Names clusters the way a marketer would, from their profiles: each cluster
 * takes the best-scoring archetype of ARCHETYPES, no two clusters share a
 * name, and the reason shows the numbers behind it ("Power users: frequency
 * +1.8σ, sessions/week +1.5σ"). Pinned names and names kept from the previous
 * run are decided by segment matching; they arrive here as reserved names.
 */
export interface ClusterName {
  label: number;
  kind: ClusterKind;
  name: string;
  reason: string;
  /** The archetype behind the name; null for names built from the top features. */
  archetype: string | null;
  /** The archetype's score (see SPECIFICITY_BONUS); 0 for other names. */
  score: number;
}

export interface NamingOptions {
  /** Names other segments already hold (kept from the previous run, pinned): new names avoid them, case-insensitively. */
  reservedNames?: Iterable<string>;
}

/** Only features at least this far from average make a qualifier ("Big spenders (ordered recently)"). */
const QUALIFIER_MIN_Z = 0.25;

interface ArchetypeMatch {
  profileIndex: number;
  archetypeIndex: number;
  archetype: Archetype;
  score: number;
  /** The z-scores the archetype scored on, for the reason. */
  evidence: FeatureDeviation[];
  /** What the reason says besides the evidence: the guards' z-scores, or how close to average a typical cluster is. */
  context: string;
}

/** One name per profile, in the order given. */
export function nameClusters(profiles: readonly ClusterProfile[], options: NamingOptions = {}): ClusterName[] {
  const taken = new Set<string>();
  for (const name of options.reservedNames ?? []) taken.add(nameKey(name));
  const names = new Array<ClusterName | undefined>(profiles.length);
  const holders = new Map<string, number>(); // name key → index of the profile holding it
  const claim = (index: number, named: Omit<ClusterName, 'label' | 'kind'>): void => {
    const profile = profiles[index]!;
    names[index] = { label: profile.label, kind: profile.kind, ...named };
    taken.add(nameKey(named.name));
    holders.set(nameKey(named.name), index);
  };

  profiles.forEach((profile, index) => {
    if (profile.kind === 'cluster') return;
    const special = SPECIAL_NAMES[profile.kind];
    const name = numbered(special.name, taken);
    claim(index, { name, reason: `${name}: ${special.meaning} Stands out on ${describeDeviations(profile.distinguishing)}`, archetype: special.name, score: 0 });
  });

  // Strongest matches first, over all clusters: the cluster that fits an archetype best gets its plain name.
  const matches: ArchetypeMatch[] = [];
  profiles.forEach((profile, profileIndex) => {
    if (profile.kind !== 'cluster') return;
    ARCHETYPES.forEach((archetype, archetypeIndex) => {
      const match = scoreArchetype(profile, archetype);
      if (match) matches.push({ profileIndex, archetypeIndex, archetype, ...match });
    });
  });
  matches.sort((a, b) => b.score - a.score || a.profileIndex - b.profileIndex || a.archetypeIndex - b.archetypeIndex);
  for (const match of matches) {
    if (names[match.profileIndex] || taken.has(nameKey(match.archetype.name))) continue;
    claim(match.profileIndex, { name: match.archetype.name, reason: reasonFor(match.archetype.name, match), archetype: match.archetype.name, score: match.score });
  }

  // Every archetype this cluster fits is taken: its best one, with a qualifier saying how it differs.
  for (const match of matches) {
    if (names[match.profileIndex]) continue;
    const profile = profiles[match.profileIndex]!;
    const holderIndex = holders.get(nameKey(match.archetype.name));
    const holder = holderIndex === undefined ? undefined : profiles[holderIndex];
    const qualifier = holder ? comparativeQualifier(profile, holder, match, taken) : absoluteQualifier(profile, match, taken);
    const name = numbered(qualifier ? `${match.archetype.name} (${qualifier.phrase})` : match.archetype.name, taken);
    const reason = reasonFor(name, match) + (qualifier?.note ?? '');
    claim(match.profileIndex, { name, reason, archetype: match.archetype.name, score: match.score });
  }

  // No archetype fits: say what stands out, top two features first.
  profiles.forEach((profile, index) => {
    if (names[index]) return;
    // Only features that really stand out name a segment: z≈0 (a constant feature) says nothing.
    const ranked = rankedDeviations(profile).filter((deviation) => Math.abs(deviation.z) >= QUALIFIER_MIN_Z);
    let name = ranked.length === 0 ? 'Typical profile' : fallbackName(ranked.slice(0, 2));
    if (taken.has(nameKey(name)) && ranked.length > 2) name = fallbackName(ranked.slice(0, 3));
    name = numbered(name, taken);
    const reason = ranked.length === 0 ? `${name}: no feature is more than ${QUALIFIER_MIN_Z}σ from average` : `${name}: no archetype fits; stands out on ${describeDeviations(ranked.slice(0, 3))}`;
    claim(index, { name, reason, archetype: null, score: 0 });
  });
  return names as ClusterName[];
}

/** Formats z-scores for reasons: "frequency +1.8σ, sessions/week +1.5σ". */
export function describeDeviations(deviations: readonly FeatureDeviation[]): string {
  if (deviations.length === 0) return 'no feature';
  return deviations.map((deviation) => `${featureWords(deviation.feature).label} ${signed(deviation.z)}σ`).join(', ');
}

function scoreArchetype(profile: ClusterProfile, archetype: Archetype): Pick<ArchetypeMatch, 'score' | 'evidence' | 'context'> | null {
  if (archetype.allWithin !== undefined) {
    const ranked = rankedDeviations(profile);
    if (ranked.length === 0 || Math.abs(ranked[0]!.z) > archetype.allWithin) return null;
    return { score: TYPICAL_SCORE, evidence: [], context: `every feature within ±${archetype.allWithin}σ (largest: ${describeDeviations(ranked.slice(0, 2))})` };
  }
  const evidence: FeatureDeviation[] = [];
  const guarded: FeatureDeviation[] = [];
  let total = 0;
  for (const condition of archetype.conditions) {
    const deviation = findSignal(profile, condition.signal);
    if (!deviation) {
      if (condition.role === 'required') return null;
      continue;
    }
    const signedZ = condition.op === '>=' ? deviation.z : -deviation.z;
    const threshold = condition.op === '>=' ? condition.z : -condition.z;
    if (signedZ < threshold) return null;
    if (condition.role === 'guard') {
      if (!guarded.includes(deviation)) guarded.push(deviation);
      continue;
    }
    total += signedZ;
    evidence.push(deviation);
  }
  if (evidence.length === 0) return null;
  const context = guarded.filter((deviation) => !evidence.includes(deviation));
  return {
    score: total / evidence.length + SPECIFICITY_BONUS * (evidence.length - 1),
    evidence,
    context: context.length > 0 ? `with ${describeDeviations(context)}` : '',
  };
}

/**
 * The profile's column for a signal: the first signal member present, and for
 * a member matched by several columns the unwindowed one (`frequency` over
 * `frequency_90d`), else the first in column order.
 */
function findSignal(profile: ClusterProfile, signal: Signal): FeatureDeviation | undefined {
  for (const member of SIGNALS[signal]) {
    let found: FeatureDeviation | undefined;
    for (const deviation of profile.features) {
      if (Number.isNaN(deviation.z)) continue;
      const { base, windowDays } = featureBase(deviation.feature);
      if (!matchesMember(base, member)) continue;
      if (windowDays === null) return deviation;
      found ??= deviation;
    }
    if (found) return found;
  }
  return undefined;
}

interface Qualifier {
  phrase: string;
  /** Appended to the reason. */
  note: string;
}

/**
 * The trait that most separates this cluster from the one holding the plain
 * name: "Lapsed (higher spend)". Traits the archetype is about come last:
 * "Big spenders (lower spend)" is true but reads as a contradiction.
 */
function comparativeQualifier(profile: ClusterProfile, holder: ClusterProfile, match: ArchetypeMatch, taken: ReadonlySet<string>): Qualifier | undefined {
  const used = new Set(match.evidence.map((deviation) => deviation.feature));
  const differences = profile.features
    .map((deviation) => ({ deviation, other: holder.features.find((candidate) => candidate.feature === deviation.feature) }))
    .filter(({ deviation, other }) => other && !Number.isNaN(deviation.z) && !Number.isNaN(other.z))
    .map(({ deviation, other }) => ({ deviation, other: other!, difference: deviation.z - other!.z }))
    .sort((a, b) => Number(used.has(a.deviation.feature)) - Number(used.has(b.deviation.feature)) || Math.abs(b.difference) - Math.abs(a.difference));
  for (const { deviation, other, difference } of differences) {
    if (Math.abs(difference) < QUALIFIER_MIN_Z) continue;
    const words = featureWords(deviation.feature);
    const phrase = difference > 0 ? words.higher : words.lower;
    if (taken.has(nameKey(`${match.archetype.name} (${phrase})`))) continue;
    return { phrase, note: `; ${words.label} ${signed(deviation.z)}σ vs ${signed(other.z)}σ in "${match.archetype.name}"` };
  }
  return undefined;
}

/** Without the holder's profile (a reserved name): the strongest trait the archetype did not use. */
function absoluteQualifier(profile: ClusterProfile, match: ArchetypeMatch, taken: ReadonlySet<string>): Qualifier | undefined {
  const used = new Set(match.evidence.map((deviation) => deviation.feature));
  for (const deviation of rankedDeviations(profile)) {
    if (used.has(deviation.feature) || Math.abs(deviation.z) < QUALIFIER_MIN_Z) continue;
    const phrase = phraseFor(deviation);
    if (!taken.has(nameKey(`${match.archetype.name} (${phrase})`))) return { phrase, note: `; ${describeDeviations([deviation])}` };
  }
  return undefined;
}

function fallbackName(deviations: readonly FeatureDeviation[]): string {
  const text = deviations.map(phraseFor).join(' · ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function phraseFor(deviation: FeatureDeviation): string {
  const words = featureWords(deviation.feature);
  return deviation.z >= 0 ? words.high : words.low;
}

function reasonFor(name: string, match: Pick<ArchetypeMatch, 'evidence' | 'context'>): string {
  const ordered = [...match.evidence].sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
  const parts = [ordered.length > 0 ? describeDeviations(ordered) : '', match.context].filter((part) => part !== '');
  return `${name}: ${parts.join(' ')}`;
}

function rankedDeviations(profile: ClusterProfile): FeatureDeviation[] {
  return profile.features.filter((deviation) => !Number.isNaN(deviation.z)).sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
}

/** `name`, or `name 2`, `name 3` … whichever is free first. */
function numbered(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(nameKey(name))) return name;
  for (let suffix = 2; ; suffix++) {
    if (!taken.has(nameKey(`${name} ${suffix}`))) return `${name} ${suffix}`;
  }
}

/** Names compare case- and space-insensitively: "Power users" and "power  Users" would confuse everyone. */
export function nameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

function signed(z: number): string {
  const rounded = Math.round(z * 10) / 10;
  return `${rounded >= 0 ? '+' : '-'}${Math.abs(rounded).toFixed(1)}`;
}
