import { UserError } from '../errors/user-error.js';
import type { FeatureMatrix } from './feature-matrix.js';

/**
 * The weighted engagement score a marketer defines in YAML:
 *
 *   engagement_score:
 *     weights: { frequency: 0.5, monetary: 0.3, recency_days: -0.2 }
 *
 * score = Σ wᵢ · zᵢ over the named columns of a matrix that is already scaled
 * (z-scores), so a weight says "one standard deviation of this feature is
 * worth wᵢ points" whatever the feature's unit. Weights are used as written:
 * a negative weight is how "lower is better" (recency) is expressed.
 */
export type EngagementWeights = Readonly<Record<string, number>>;

/** One problem with a score definition, tied to the feature it is about (the config loader locates it in the YAML). */
export interface ScoreConfigProblem {
  feature: string;
  message: string;
}

/** All problems at once, so a user fixes the YAML in one round. */
export class ScoreConfigError extends UserError {
  constructor(readonly what: string, readonly problems: readonly ScoreConfigProblem[]) {
    super(`${what}: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((problem) => `  ${problem.feature}: ${problem.message}`).join('\n')}`);
  }
}

/** Checks weights against the available feature names; an empty list means valid. Pure, for the config checker too. */
export function checkEngagementWeights(weights: EngagementWeights, featureNames: readonly string[]): ScoreConfigProblem[] {
  const problems: ScoreConfigProblem[] = [];
  const entries = Object.entries(weights);
  if (entries.length === 0) return [{ feature: '(weights)', message: 'no feature has a weight; name at least one feature' }];
  for (const [feature, weight] of entries) {
    if (!featureNames.includes(feature)) {
      problems.push({ feature, message: `is not a model feature (available: ${featureNames.join(', ')})` });
    }
    if (typeof weight !== 'number' || !Number.isFinite(weight)) {
      problems.push({ feature, message: `weight must be a finite number, got ${String(weight)}` });
    }
  }
  if (problems.length === 0 && entries.every(([, weight]) => weight === 0)) {
    problems.push({ feature: '(weights)', message: 'every weight is 0, so every customer would score 0; give at least one feature a non-zero weight' });
  }
  return problems;
}

/**
 * score = Σ wᵢ · zᵢ per row. `featureNames[c]` names column c of `scaled`.
 * Throws ScoreConfigError naming each bad feature; a missing value (NaN) in a
 * weighted column makes that row's score NaN rather than silently 0.
 */
export function weightedEngagementScore(scaled: FeatureMatrix, featureNames: readonly string[], weights: EngagementWeights): Float64Array {
  if (featureNames.length !== scaled.columns) {
    throw new RangeError(`weightedEngagementScore: ${featureNames.length} feature names for ${scaled.columns} columns`);
  }
  const problems = checkEngagementWeights(weights, featureNames);
  if (problems.length > 0) throw new ScoreConfigError('engagement score weights', problems);
  const columnWeights = new Float64Array(scaled.columns);
  for (const [feature, weight] of Object.entries(weights)) columnWeights[featureNames.indexOf(feature)] = weight;
  const { rows, columns, data } = scaled;
  const scores = new Float64Array(rows);
  for (let row = 0; row < rows; row++) {
    let sum = 0;
    for (let column = 0; column < columns; column++) {
      const weight = columnWeights[column]!;
      if (weight !== 0) sum += weight * data[row * columns + column]!;
    }
    scores[row] = sum;
  }
  return scores;
}
