import { z } from 'zod';

/**
 * Model-based segmentations (issue 4). Every model reads the same feature
 * block: which features, which of them are log1p'd first (skewed counts and
 * money), how they are scaled, a seed; and may pin segment names by id.
 */
const Identifier = z.string().regex(/^[a-z][a-z0-9_-]*$/, { message: 'expected a lowercase id (letters, digits, _ or -), starting with a letter' });

const FeatureBlock = {
  id: Identifier,
  features: z.array(z.string()).min(1).describe('Features the model reads (built-in, custom or RFM scores computed earlier).'),
  log1p: z.array(z.string()).default([]).describe('Features transformed with log(1 + x) before scaling: counts and money are heavy-tailed.'),
  scaling: z.enum(['zscore', 'robust', 'minmax', 'none']).default('zscore').describe('Scaling after log1p (scikit-learn semantics). @default zscore'),
  where: z
    .string()
    .optional()
    .describe('Only profiles matching this rule expression take part, e.g. "frequency >= 1" to cluster buyers; the others are in none of the model\'s segments.'),
  seed: z.number().int().default(42).describe('Seed for every random choice the model makes: the same seed gives the same segments.'),
  names: z.record(z.string(), z.string().min(1)).default({}).describe('Pin a segment\'s name by its id, e.g. { behavior-2: "VIP" }; otherwise named from its profile.'),
};

export const KMeansSegmentation = z.strictObject({
  ...FeatureBlock,
  model: z.literal('kmeans'),
  k: z.number().int().min(2).max(50).optional().describe('A fixed number of segments; omit to let segflow choose from k_range.'),
  k_range: z.tuple([z.number().int().min(2), z.number().int().max(50)]).default([2, 10]).describe('Candidates when k is not fixed. @default [2, 10]'),
  n_init: z.number().int().min(1).max(50).default(10).describe('k-means restarts; the lowest inertia wins. @default 10'),
  silhouette_sample: z.number().int().min(100).default(10_000).describe('Profiles sampled for the silhouette score. @default 10000'),
});

export const DbscanSegmentation = z.strictObject({
  ...FeatureBlock,
  model: z.literal('dbscan'),
  eps: z.number().positive().optional().describe('Neighbourhood radius in scaled units; omit to use the knee of the k-distance curve.'),
  min_samples: z.number().int().min(2).optional().describe('Neighbours (the point included) that make a core point. @default 2 × features'),
});

export const HierarchicalSegmentation = z.strictObject({
  ...FeatureBlock,
  model: z.literal('hierarchical'),
  k: z.number().int().min(2).max(50).describe('Clusters to cut the Ward tree into.'),
  sample_size: z
    .number()
    .int()
    .min(100)
    .max(100_000)
    .default(100_000)
    .describe('Ward is exact (scikit-learn\'s tree) on up to this many profiles; above it, it runs on a seeded sample this big and everyone else joins the nearest cluster. Exact Ward takes O(n²) time (~30 s at 100,000). @default 100000'),
});

export const IsolationForestSegmentation = z.strictObject({
  ...FeatureBlock,
  model: z.literal('isolation_forest'),
  contamination: z.union([z.literal('auto'), z.number().gt(0).max(0.5)]).default('auto').describe('auto: scikit-learn\'s offset −0.5; or the expected share of anomalies.'),
  trees: z.number().int().min(10).max(1_000).default(100),
});

export const PcaSegmentation = z.strictObject({
  ...FeatureBlock,
  model: z.literal('pca'),
  direction: z.record(z.string(), z.enum(['up', 'down'])).describe('Which way is "more engaged" for some features, e.g. { frequency: up, recency_days: down }: fixes the index\'s sign.'),
});

export const WeightedScoreSegmentation = z.strictObject({
  ...FeatureBlock,
  model: z.literal('weighted_score'),
  weights: z.record(z.string(), z.number()).describe('Weight per feature of the scaled features, e.g. { frequency: 2, recency_days: -1 }.'),
});

export const MODEL_SEGMENTATIONS = [KMeansSegmentation, DbscanSegmentation, HierarchicalSegmentation, IsolationForestSegmentation, PcaSegmentation, WeightedScoreSegmentation] as const;

export type KMeansSegmentationConfig = z.infer<typeof KMeansSegmentation>;
export type DbscanSegmentationConfig = z.infer<typeof DbscanSegmentation>;
export type HierarchicalSegmentationConfig = z.infer<typeof HierarchicalSegmentation>;
export type IsolationForestSegmentationConfig = z.infer<typeof IsolationForestSegmentation>;
export type PcaSegmentationConfig = z.infer<typeof PcaSegmentation>;
export type WeightedScoreSegmentationConfig = z.infer<typeof WeightedScoreSegmentation>;
export type ModelSegmentationConfig =
  | KMeansSegmentationConfig
  | DbscanSegmentationConfig
  | HierarchicalSegmentationConfig
  | IsolationForestSegmentationConfig
  | PcaSegmentationConfig
  | WeightedScoreSegmentationConfig;

/** Feature columns a model segmentation adds for later rules and sinks. */
export function modelOutputFeatures(segmentation: { id: string; model: string }): string[] {
  if (segmentation.model === 'isolation_forest') return [`${segmentation.id}_anomaly_score`];
  if (segmentation.model === 'pca' || segmentation.model === 'weighted_score') return [`${segmentation.id}_score`];
  return [];
}
