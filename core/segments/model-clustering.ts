import type { ModelSegmentationConfig } from '../config/model-schema.js';
import type { FeatureMatrix } from '../models/feature-matrix.js';
import { dbscan } from '../models/dbscan.js';
import { suggestEps } from '../models/dbscan-eps.js';
import { wardClustering } from '../models/hierarchical.js';
import type { Dendrogram } from '../models/hierarchical-ward.js';
import { kmeans } from '../models/kmeans.js';
import { selectK, type KSelectionRow } from '../models/k-selection.js';
import { NOISE_LABEL } from './cluster-profile.js';

/**
 * Runs the clustering a mapping asks for and returns labels (−1 = noise)
 * plus what the report shows: the k-selection table and the reason for k,
 * DBSCAN's eps and where it came from.
 */
export interface Clustering {
  labels: Int32Array;
  /** Extra lines for the report: chosen k and why, eps suggestion … */
  notes: string[];
  kTable?: KSelectionRow[];
  /** Ward: the top of the tree (last merges, highest first is at the end), enough to plot the cut. */
  dendrogram?: { leaves: number; topMerges: Dendrogram['merges'] };
  /** Figures a test or a report compares: k, inertia, eps, cluster and noise counts. */
  metrics: Record<string, number>;
}

export async function cluster(segmentation: ModelSegmentationConfig, scaled: FeatureMatrix): Promise<Clustering> {
  switch (segmentation.model) {
    case 'kmeans': {
      if (segmentation.k !== undefined) {
        const result = await kmeans(scaled, { k: segmentation.k, seed: segmentation.seed, nInit: segmentation.n_init });
        return { labels: result.labels, notes: [`k = ${segmentation.k} (fixed in the mapping); inertia ${result.inertia.toFixed(1)} after ${result.iterations} iterations`], metrics: { k: segmentation.k, inertia: result.inertia } };
      }
      const [kMin, kMax] = segmentation.k_range;
      const selection = await selectK(scaled, { kMin, kMax, seed: segmentation.seed, nInit: segmentation.n_init, silhouetteSampleSize: segmentation.silhouette_sample });
      return { labels: selection.chosen.labels, notes: [`k = ${selection.chosenK}: ${selection.reason}`], kTable: selection.rows, metrics: { k: selection.chosenK, inertia: selection.chosen.inertia } };
    }
    case 'hierarchical': {
      const result = wardClustering(scaled, { clusters: segmentation.k, sampleSize: segmentation.sample_size, seed: segmentation.seed });
      const sampled = result.sampleRows.length < scaled.rows;
      return {
        labels: result.labels,
        notes: [`Ward linkage on ${sampled ? `a seeded sample of ${result.sampleRows.length.toLocaleString('en-US')} profiles (the rest joined the nearest cluster)` : 'every profile'}, cut at k = ${segmentation.k}`],
        dendrogram: { leaves: result.dendrogram.leaves, topMerges: result.dendrogram.merges.slice(-50) },
        metrics: { k: segmentation.k, sampled: result.sampleRows.length },
      };
    }
    case 'dbscan': {
      const minSamples = segmentation.min_samples ?? 2 * scaled.columns;
      const notes: string[] = [];
      let eps = segmentation.eps;
      if (eps === undefined) {
        const suggestion = suggestEps(scaled, minSamples, { seed: segmentation.seed });
        eps = suggestion.eps;
        notes.push(`eps = ${eps.toFixed(4)}: the knee of the ${minSamples}-distance curve over ${suggestion.sampledRows.toLocaleString('en-US')} profiles`);
      } else notes.push(`eps = ${eps} (from the mapping)`);
      const result = dbscan(scaled, { eps, minSamples });
      notes.push(`${result.clusters} cluster(s), ${result.noise.toLocaleString('en-US')} profile(s) in no dense region (segment "Unusual"), min_samples ${minSamples}`);
      const labels = result.labels;
      for (let row = 0; row < labels.length; row++) if (labels[row] === -1) labels[row] = NOISE_LABEL;
      return { labels, notes, metrics: { eps, minSamples, clusters: result.clusters, noise: result.noise } };
    }
    default:
      throw new Error(`model "${segmentation.model}" does not cluster`);
  }
}
