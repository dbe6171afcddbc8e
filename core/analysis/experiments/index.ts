export { assignArm, holdoutPosition, type Arm, type HoldoutOptions } from './holdout-assignment.js';
export { newcombeInterval, proportionUplift, type ArmCounts, type DifferenceInterval, type ProportionUplift } from './uplift.js';
export { bootstrapMeanDifference, welchTTest, type BootstrapOptions, type WelchTest } from './revenue-uplift.js';
export { cuped, type CupedObservation, type CupedResult } from './cuped.js';
export {
  alwaysValidPValues, initialMsprtState, msprtLogLikelihoodRatio, msprtUpdate, type MsprtOptions, type MsprtState,
} from './msprt.js';
export { twoProportionSampleSize, type SampleSize, type SampleSizeOptions } from './sample-size.js';
export { alwaysValidProportionPValues, type ProportionMsprtOptions } from './msprt-proportions.js';
