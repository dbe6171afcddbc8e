import { z } from 'zod';
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
  })
  .describe('Markov journeys: transition matrix, funnel and drop-off, absorbing probabilities, top paths, Sankey data.');

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
  })
  .describe('Daily revenue: robust STL (period 7) with trend and seasonal strength, level changes, a forecast.');

export const AnalysisSection = z
  .strictObject({
    journeys: Journeys.optional(),
    drift: Drift.optional(),
    validation: Validation.optional(),
    trends: Trends.optional(),
  })
  .describe('Analyses computed after segments (segflow run, segflow analyze).');

export type AnalysisConfig = z.infer<typeof AnalysisSection>;
