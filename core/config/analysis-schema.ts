import { z } from 'zod';
import { Duration } from './durations.js';
import { SECRET_REFERENCE } from './secrets.js';

/**
 * The `analysis:` section (issue 12): journeys, drift between runs and
 * segment validation, computed after segments by `segflow run` (and on
 * demand by `segflow analyze`). Every part has defaults, so `analysis: {}`
 * turns it on for the usual e-commerce events.
 */
const Journeys = z
  .strictObject({
    states: z
      .record(z.string(), z.string().min(1))
      .optional()
      .describe('Event name → journey state, e.g. { "Product Viewed": view }. Default: the e-commerce events of features.events as view, cart, checkout, purchase.'),
    funnel: z.array(z.string()).min(2).optional().describe('Ordered funnel steps (state names). Default: view, cart, checkout, purchase.'),
    goal: z.string().optional().describe('The state a journey succeeds at (absorbing). Default: the funnel\'s last step.'),
    by: z.enum(['session', 'profile']).default('session').describe('One journey per session (a gap of sessions.gap) or per whole history. @default session'),
    top_paths: z.number().int().min(1).max(100).default(10).describe('How many of the most frequent paths to report. @default 10'),
    migration_months: z.number().int().min(2).max(60).default(12).describe('Month ends at which every buyer\'s RFM segment is recomputed from the orders, for the month-to-month migration matrices. @default 12'),
  })
  .describe('Markov journeys: transition matrix, funnel and drop-off, absorbing probabilities, top paths, Sankey data; monthly RFM segment migration.');

const Drift = z
  .strictObject({
    features: z.array(z.string()).min(1).optional().describe('Features compared between the last run and this one. Default: every numeric feature.'),
    psi_warn: z.number().positive().default(0.1).describe('PSI above this is a moderate shift. @default 0.1'),
    psi_alert: z.number().positive().default(0.25).describe('PSI above this is a major shift and recommends re-clustering. @default 0.25'),
    webhook: z
      .string()
      .regex(SECRET_REFERENCE, { message: 'expected ${env:NAME}: a webhook URL usually carries a token, so it comes from the environment' })
      .optional()
      .describe('POST the run\'s drift alerts (re-cluster recommended, segment share alarms) as JSON to this URL: ${env:NAME}.'),
    baseline_runs: z.number().int().min(2).max(100).default(10).describe('Runs that set each segment share\'s in-control mean and σ before EWMA and CUSUM chart the runs after them. @default 10'),
  })
  .describe('Feature drift between runs (PSI and the two-sample KS statistic per feature; a re-cluster recommendation) and EWMA/CUSUM charts of each segment\'s share across runs.');

const Validation = z
  .strictObject({
    segmentations: z.array(z.string()).min(1).optional().describe('Segmentations to validate. Default: all.'),
    converted: z.string().default('frequency').describe('A feature whose value > 0 means the profile converted (bought). @default frequency'),
    value: z.string().default('monetary').describe('A feature of value per profile (revenue) for the value KPIs. @default monetary'),
  })
  .describe('Do segments differ on business KPIs: conversion and value per segment with confidence intervals, chi-square and Kruskal–Wallis tests with effect sizes.');

const Trends = z
  .strictObject({
    forecast_days: z.number().int().min(1).max(90).default(14).describe('Days of revenue forecast (Holt-Winters, 95% intervals). @default 14'),
    segmentations: z.array(z.string()).optional().describe('Segmentations whose segments get their own KPI trends. Default: all; [] for none.'),
    segment_kpis: z
      .array(z.enum(['revenue', 'orders', 'active_customers', 'conversion']))
      .min(1)
      .optional()
      .describe('KPIs trended per segment, daily and weekly (robust STL and strengths where long enough). Default: all four.'),
  })
  .describe('Daily revenue: robust STL (period 7) with trend and seasonal strength, level changes, a forecast; and per segment the daily and weekly KPI series with their STL strengths.');

const Experiment = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z][a-z0-9_-]*$/, { message: 'expected a lowercase id (letters, digits, _ or -), starting with a letter' })
      .describe('The campaign\'s id; a sink property `{ holdout: <id> }` carries each member\'s arm.'),
    segment: z.string().min(1).describe('Who takes part: a segment id (cart_abandoners, rfm/at_risk, behavior-2), a segmentation id (all its segments) or a segment name ("At Risk").'),
    holdout_share: z.number().gt(0, { message: 'expected a share between 0 and 1, e.g. 0.1' }).lt(1, { message: 'expected a share between 0 and 1, e.g. 0.1' }).default(0.1).describe('Share of members held out of the campaign. Growing it only moves treatment members into holdout. @default 0.1'),
    salt: z.string().min(1).optional().describe('Salt of the assignment hash; a new salt reshuffles everyone, independently of other campaigns. Default: the id. Never change it while a campaign runs.'),
    start: z.iso.date({ message: 'expected a date YYYY-MM-DD, e.g. "2026-05-01"' }).describe('The day (UTC, YYYY-MM-DD) the campaign started: conversion is counted from then.'),
    window: Duration.default('30d').describe('How long after start a conversion counts, e.g. 30d. @default 30d'),
    conversion_event: z.string().min(1).optional().describe('The event that counts as converting; its revenue is the revenue per member. Default: features.events.order.'),
    covariate: z
      .enum(['revenue', 'conversions'])
      .optional()
      .describe('CUPED on this quantity in the pre-period (the same window length before start): revenue, or the number of conversion events. Measured from the events, not a feature column, because features are computed as of the run, after start, and would carry the campaign\'s effect.'),
    minimum_detectable_effect: z
      .number()
      .gt(0)
      .lt(1)
      .optional()
      .describe('The smallest absolute lift in conversion rate worth detecting (0.01 = one point): sets the sample size and the mSPRT mixture. Default: 10% of the holdout\'s conversion rate.'),
  })
  .describe('An A/B holdout: members of a segment split by a salted hash into treatment and holdout, and the uplift of treatment on conversion and revenue.');

export const AnalysisSection = z
  .strictObject({
    journeys: Journeys.optional(),
    drift: Drift.optional(),
    validation: Validation.optional(),
    trends: Trends.optional(),
    experiments: z.array(Experiment).min(1).optional().describe('A/B holdouts with their uplift (z test with Newcombe interval, Welch and bootstrap, CUPED, mSPRT, sample size).'),
  })
  .describe('Analyses computed after segments (segflow run, segflow analyze).');

export type AnalysisConfig = z.infer<typeof AnalysisSection>;
export type ExperimentConfig = z.infer<typeof Experiment>;
