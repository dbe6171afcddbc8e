export { assignArm, holdoutPosition, type Arm, type HoldoutOptions } from './holdout-assignment.js';
export { newcombeInterval, proportionUplift, type ArmCounts, type DifferenceInterval, type ProportionUplift } from './uplift.js';
export { bootstrapMeanDifference, welchTTest, type BootstrapOptions, type WelchTest } from './revenue-uplift.js';
export { cuped, type CupedObservation, type CupedResult } from './cuped.js';
export {
  alwaysValidPValues, initialMsprtState, msprtLogLikelihoodRatio, msprtUpdate, type MsprtOptions, type MsprtState,
} from './msprt.js';
export { membersForHoldout, twoProportionSampleSize, type SampleSize, type SampleSizeOptions } from './sample-size.js';
export { alwaysValidProportionPValues, type ProportionMsprtOptions } from './msprt-proportions.js';
export { armOf, experimentSegmentIds, resolveAssignment, type ExperimentAssignment, type SegmentRecord } from './experiment-assignment.js';
export { checkExperiments } from './check-experiments.js';
export { dailyConversionLooks, sequentialConversion, type ConversionLook, type SequentialConversion } from './sequential-conversion.js';
export { experimentUplift, type ArmOutcome, type ExperimentUplift, type MemberOutcome, type UpliftOptions } from './experiment-uplift.js';
export { binomialDraw, sparseBootstrapMeanDifference } from './sparse-bootstrap.js';
