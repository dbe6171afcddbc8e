import type { AnalysisSummary } from '../../core/analysis/analysis-summary.js';
import type { ExperimentReport } from '../../core/analysis/experiment-report.js';
import { segmentAnalysisLines } from './analysis-segment-lines.js';

const percent = (value: number | null | undefined) => (value === null || value === undefined || !Number.isFinite(value) ? '–' : `${(100 * value).toFixed(1)}%`);
const number = (value: number) => value.toLocaleString('en-US');
const pValue = (value: number) => (value < 1e-4 ? value.toExponential(1) : value.toFixed(4));

/** `segflow analyze` and the end of `segflow run`: the journey, drift and validation tables. */
export function formatAnalysis(analysis: AnalysisSummary): string {
  const out: string[] = [];
  const journeys = analysis.journeys;
  if (journeys) {
    out.push(`journeys (${journeys.by}): ${number(journeys.journeys)} journeys, ${number(journeys.events)} events`);
    out.push('  funnel');
    for (const step of journeys.funnel.steps) {
      out.push(`    ${step.name.padEnd(10)} ${number(step.reached).padStart(9)}  from previous ${percent(step.conversionFromPrevious).padStart(6)}  drop-off ${number(step.dropOff)}`);
    }
    out.push(`  reaching ${journeys.goal} (before leaving), by state`);
    for (const state of journeys.toGoal) out.push(`    ${state.state.padEnd(10)} ${percent(state.probability).padStart(6)}  expected steps ${state.expectedSteps.toFixed(2)}`);
    out.push('  top paths');
    for (const path of journeys.topPaths.paths.slice(0, 5)) out.push(`    ${percent(path.share).padStart(6)}  ${path.label}`);
  }
  if (analysis.drift === null) out.push('drift: no earlier run\'s features to compare with (they are kept by runs of a mapping with an analysis section)');
  else if (analysis.drift) {
    out.push(`drift since the last run: ${analysis.drift.recluster ? `RE-CLUSTER RECOMMENDED (${analysis.drift.reasons.join('; ')})` : 'no re-cluster needed'}`);
    for (const feature of analysis.drift.features) {
      out.push(`    ${feature.feature.padEnd(24)} PSI ${feature.psi.toFixed(3)} (${feature.psiLevel}, ${feature.psiBins} bins)  KS D ${feature.ksStatistic.toFixed(3)} p ${pValue(feature.ksPValue)}  mean shift ${feature.meanShift.toFixed(2)}σ`);
    }
  }
  const charted = (analysis.segmentShares ?? []).filter((status) => status.status === 'monitored');
  if (analysis.segmentShares && analysis.segmentShares.length > 0) {
    const alarms = charted.filter((status) => status.status === 'monitored' && status.alarm).map((status) => status.segment);
    out.push(charted.length === 0
      ? `segment shares: ${analysis.segmentShares[0]?.status === 'insufficient-baseline' ? analysis.segmentShares[0].reason : 'not charted'}`
      : `segment shares (EWMA, CUSUM over runs): ${alarms.length === 0 ? 'in control' : `ALARM for ${alarms.join(', ')}`}`);
  }
  for (const alert of analysis.alerts ?? []) out.push(`ALERT ${alert.message}`);
  if (analysis.webhook) out.push(analysis.webhook.delivered ? `alerts posted to the webhook (${analysis.webhook.alerts})` : `alerts NOT posted: ${analysis.webhook.error ?? 'unknown'}`);
  const trends = analysis.trends;
  if (trends === null) out.push('trends: fewer than four weeks of orders');
  else if (trends) {
    out.push(`revenue trend: ${trends.days} days from ${trends.start}; strength of trend ${trends.strength.trend.toFixed(2)}, of weekly seasonality ${trends.strength.seasonal.toFixed(2)}`);
    for (const change of trends.changes) out.push(`    level change on ${change.day}: ${change.mean.toFixed(0)} a day`);
    const total = trends.forecast.reduce((sum, day) => sum + day.mean, 0);
    out.push(`    forecast, next ${trends.forecast.length} days: ${total.toFixed(0)} in all (first day ${trends.forecast[0]?.mean.toFixed(0)} [${trends.forecast[0]?.lower.toFixed(0)}, ${trends.forecast[0]?.upper.toFixed(0)}])`);
  }
  for (const validation of analysis.validation ?? []) {
    const conversion = validation.conversionTest;
    const value = validation.valueTest;
    out.push(`validation of ${validation.segmentation}: conversion ${conversion ? `χ² ${conversion.statistic.toFixed(1)}, p ${pValue(conversion.p)}, Cramér's V ${conversion.cramersV.toFixed(2)}` : 'not testable'}; value ${value ? `Kruskal–Wallis H ${value.statistic.toFixed(1)}, p ${pValue(value.p)}, ε² ${value.epsilonSquared.toFixed(2)}` : 'not testable'}`);
    for (const segment of validation.segments) {
      const aov = segment.averageOrderValue;
      out.push(`    ${segment.name.padEnd(28)} ${number(segment.members).padStart(7)}  converted ${percent(segment.conversionRate.estimate)} [${percent(segment.conversionRate.low)}, ${percent(segment.conversionRate.high)}]  retained ${percent(segment.retentionRate.estimate)}  AOV ${aov ? aov.mean.toFixed(2) : '–'}`);
    }
  }
  for (const correlation of analysis.scoreCorrelations ?? []) {
    out.push(`score ${correlation.score} vs ${correlation.kpi}: Spearman ρ ${correlation.spearman.coefficient.toFixed(3)} (p ${pValue(correlation.spearman.p)}, n ${number(correlation.spearman.n)})`);
  }
  out.push(...segmentAnalysisLines(analysis));
  for (const experiment of analysis.experiments ?? []) out.push(...experimentLines(experiment));
  return `${out.join('\n')}\n`;
}

const points = (value: number) => `${value >= 0 ? '+' : ''}${(100 * value).toFixed(1)} pts`;
const money = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(2)}`;

/** One experiment: arms, then (once started) conversion and revenue uplift, CUPED, the always-valid p and the sample size. */
function experimentLines(experiment: ExperimentReport): string[] {
  const out = [`experiment ${experiment.id} (${experiment.segment}, ${percent(experiment.holdoutShare)} held out, from ${experiment.start} for ${experiment.window}; day ${experiment.daysObserved} of ${experiment.windowDays}${experiment.complete ? ', complete' : ''}): treatment ${number(experiment.members.treatment)}, holdout ${number(experiment.members.holdout)}`];
  const uplift = experiment.uplift;
  if (!uplift) return [...out, `    not measured: ${experiment.reason ?? experiment.status}`];
  const { conversion, revenue, sequential } = uplift;
  out.push(`    converted   treatment ${percent(conversion.treatmentRate)}  holdout ${percent(conversion.controlRate)}  uplift ${points(conversion.difference)} [${points(conversion.newcombe.low)}, ${points(conversion.newcombe.high)}] (Newcombe)  z ${conversion.z.toFixed(2)}, p ${pValue(conversion.p)}; always-valid p ${pValue(sequential.pValue)}`);
  out.push(`    revenue per member  treatment ${uplift.treatment.revenuePerMember.toFixed(2)}  holdout ${uplift.holdout.revenuePerMember.toFixed(2)}  uplift ${money(revenue.welch.difference)} [${money(revenue.welch.low)}, ${money(revenue.welch.high)}] (Welch, p ${pValue(revenue.welch.p)}); bootstrap [${money(revenue.bootstrap.low)}, ${money(revenue.bootstrap.high)}]`);
  if (uplift.cuped) {
    const adjusted = uplift.cuped.revenue.test;
    out.push(`    CUPED on pre-period ${experiment.covariate ?? 'covariate'}: revenue uplift ${money(adjusted.difference)} [${money(adjusted.low)}, ${money(adjusted.high)}], p ${pValue(adjusted.p)}, variance −${percent(uplift.cuped.revenue.varianceReduction)}; conversion p ${pValue(uplift.cuped.conversion.test.p)}`);
  } else if (uplift.cupedNote) out.push(`    CUPED: ${uplift.cupedNote}`);
  const size = uplift.sampleSize;
  if (size) {
    out.push(`    sample size: ${number(size.perArm)} per arm to detect ${points(size.minimumDetectableEffect)} at ${percent(size.baselineRate)}; ${number(size.membersNeeded)} members at this holdout share (${size.enough ? 'enough' : `has ${number(experiment.members.treatment + experiment.members.holdout)}: not enough`})`);
  }
  return out;
}
