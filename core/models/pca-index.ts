import { ScoreConfigError, type ScoreConfigProblem } from './composite-score.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { covarianceOnePass, pcaFromCovariance, projectOnComponent } from './pca.js';

/**
 * A composite engagement index: each customer's coordinate on the first
 * principal component of the chosen features. PC1 is the single direction
 * that explains most variance, but its sign is arbitrary, so a run could
 * print "higher = less engaged" one week and the opposite the next. The sign
 * is fixed by meaning: the caller names which features go up with engagement
 * (frequency, monetary) and which go down (recency_days), and the index is
 * oriented so its correlation with Σ (±) zⱼ over those features is positive.
 */
export interface EngagementDirection {
  /** Features whose higher values mean more engaged. */
  higher: readonly string[];
  /** Features whose lower values mean more engaged. */
  lower: readonly string[];
}

export interface PcaEngagementIndex {
  /** PC1 coordinate per row; higher = more engaged. */
  scores: Float64Array;
  /** Share of variance PC1 explains: how much of the features the one number keeps. */
  explainedVarianceRatio: number;
  /** Every component's share, for the report. */
  explainedVarianceRatios: number[];
  /** PC1's weight per feature, after the sign fix. */
  loadings: Record<string, number>;
}

export function checkEngagementDirection(direction: EngagementDirection, featureNames: readonly string[]): ScoreConfigProblem[] {
  const problems: ScoreConfigProblem[] = [];
  if (direction.higher.length + direction.lower.length === 0) {
    problems.push({ feature: '(direction)', message: 'name at least one feature under higher or lower, or the index sign cannot be fixed' });
  }
  for (const feature of [...direction.higher, ...direction.lower]) {
    if (!featureNames.includes(feature)) problems.push({ feature, message: `is not a model feature (available: ${featureNames.join(', ')})` });
  }
  for (const feature of direction.higher) {
    if (direction.lower.includes(feature)) problems.push({ feature, message: 'is listed under both higher and lower' });
  }
  return problems;
}

/** PC1 index of `matrix` (columns named by `featureNames`), oriented so that higher = more engaged. */
export function pcaEngagementIndex(matrix: FeatureMatrix, featureNames: readonly string[], direction: EngagementDirection): PcaEngagementIndex {
  if (featureNames.length !== matrix.columns) {
    throw new RangeError(`pcaEngagementIndex: ${featureNames.length} feature names for ${matrix.columns} columns`);
  }
  const problems = checkEngagementDirection(direction, featureNames);
  if (problems.length > 0) throw new ScoreConfigError('PCA index direction', problems);
  const covariance = covarianceOnePass(matrix);
  const model = pcaFromCovariance(covariance);
  const firstComponent = model.components[0]!;
  const sign = engagementSign(firstComponent, covariance.matrix, featureNames, direction);
  if (sign === 0) {
    throw new ScoreConfigError('PCA index direction', [{
      feature: [...direction.higher, ...direction.lower].join(', '),
      message: 'the first principal component is uncorrelated with these features, so "higher = more engaged" cannot be decided; name other features',
    }]);
  }
  if (sign < 0) model.components[0] = firstComponent.map((value) => -value);
  const scores = projectOnComponent(model, matrix, 0);
  const loadings: Record<string, number> = {};
  featureNames.forEach((feature, column) => (loadings[feature] = model.components[0]![column]!));
  return { scores, explainedVarianceRatio: model.explainedVarianceRatio[0]!, explainedVarianceRatios: model.explainedVarianceRatio, loadings };
}

/**
 * Sign of corr(PC1 score, Σ sⱼ xⱼ/σⱼ) with sⱼ = +1 for `higher`, −1 for
 * `lower`. No second pass is needed: cov(v·x, Σ sⱼxⱼ/σⱼ) = Σ sⱼ (Cv)ⱼ/σⱼ =
 * λ₁ Σ sⱼ vⱼ/σⱼ, and λ₁ > 0, so the sign is that of Σ sⱼ vⱼ/σⱼ. Constant
 * features (σ = 0) carry no direction and are skipped. Returns −1, 0 or 1.
 */
export function engagementSign(
  component: Float64Array, covariance: Float64Array, featureNames: readonly string[], direction: EngagementDirection,
): number {
  const columns = featureNames.length;
  let sum = 0;
  let magnitude = 0;
  const add = (feature: string, sign: number): void => {
    const column = featureNames.indexOf(feature);
    const deviation = Math.sqrt(covariance[column * columns + column]!);
    if (deviation === 0) return;
    sum += (sign * component[column]!) / deviation;
    magnitude += Math.abs(component[column]!) / deviation;
  };
  for (const feature of direction.higher) add(feature, 1);
  for (const feature of direction.lower) add(feature, -1);
  // Below rounding noise, PC1 and the direction are orthogonal: refuse to guess.
  return Math.abs(sum) <= 1e-12 * magnitude ? 0 : Math.sign(sum);
}
