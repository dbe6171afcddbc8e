import { maskPii } from '../../core/privacy/mask-pii.js';
import type { SinkSyncSummary } from '../../core/sync/run-sync.js';

const number = (value: number) => value.toLocaleString('en-US');
const OPS = ['upsert', 'update', 'list-add', 'list-remove', 'delete'] as const;

/** `segflow plan`: per sink, per operation, with a few masked examples. Nothing was sent. */
export function formatPlan(summaries: readonly SinkSyncSummary[]): string {
  const out: string[] = [];
  for (const summary of summaries) {
    out.push(`sink ${summary.sinkId} (${summary.type}, mode ${summary.mode}): ${number(summary.profiles)} profiles in scope, ${number(summary.unchanged)} unchanged${excludedText(summary)}`);
    out.push(...accountLines(summary));
    if (summary.error) {
      out.push(`  CANNOT PLAN: ${maskPii(summary.error)}`);
      continue;
    }
    if (summary.newAccount) out.push(`  new account: ${number(summary.planned.upsert + summary.planned.update)} record(s) to create`);
    const planned = OPS.filter((op) => summary.planned[op] > 0);
    if (planned.length === 0) out.push('  nothing to change');
    for (const op of planned) out.push(`  ${op.padEnd(12)} ${number(summary.planned[op]).padStart(9)}`);
    if (summary.parked > 0) out.push(`  parked in the dead-letter queue (not re-sent until changed or retried): ${number(summary.parked)}`);
    out.push(`  at least ${number(summary.minimumCalls)} API call(s)`);
    for (const example of summary.examples) out.push(`    e.g. ${example.op} ${example.profileId} (${example.key}) ${maskPii(example.detail)}`);
  }
  return `${out.join('\n')}\n`;
}

/** `segflow sync` / end of `segflow run`: applied, skipped, dead-lettered, failed, per sink. */
export function formatSyncResults(summaries: readonly SinkSyncSummary[], dlqHint: string): string {
  const out: string[] = [];
  for (const summary of summaries) {
    const result = summary.execution;
    out.push(`sink ${summary.sinkId} (${summary.type}, mode ${summary.mode}): ${number(summary.profiles)} profiles, ${number(summary.unchanged)} already in step${excludedText(summary)}`);
    out.push(...accountLines(summary));
    if (summary.error) {
      out.push(`  NOT SYNCED: ${maskPii(summary.error)}`);
      continue;
    }
    if (!result) continue;
    for (const op of OPS) {
      const tally = result.byOp[op];
      if (tally.applied + tally.skipped + tally.deadLettered + tally.failed === 0) continue;
      out.push(`  ${op.padEnd(12)} applied ${number(tally.applied)}, skipped ${number(tally.skipped)}, dead-lettered ${number(tally.deadLettered)}, failed ${number(tally.failed)}`);
    }
    out.push(`  created ${number(result.created)} record(s); ${number(summary.calls ?? 0)} API call(s) (minimum ${number(summary.minimumCalls)}); ${number(result.retries)} retries, ${number(result.throttled)} throttled`);
    if (result.blocked > 0) out.push(`  ${number(result.blocked)} membership change(s) waited for a record that could not be created`);
    if (result.failed > 0) out.push(`  ${number(result.failed)} change(s) failed with retryable errors; the next run retries them`);
    if (result.deadLettered > 0) out.push(`  ${number(result.deadLettered)} change(s) rejected by the vendor: ${dlqHint}`);
    for (const sample of result.failureSamples) out.push(`    ${sample.op} ${sample.profileId}: ${sample.code}: ${maskPii(sample.message)}`);
    if (result.stopped) out.push(`  STOPPED: ${result.stopped}`);
  }
  return `${out.join('\n')}\n`;
}

/** Which vendor account the sink's state belongs to (sandboxes say so), and any notes. */
function accountLines(summary: SinkSyncSummary): string[] {
  const lines = summary.account ? [`  account ${summary.account}${summary.newAccount ? ' (new: nothing synced to it from this state yet)' : ''}`] : [];
  for (const note of summary.notes ?? []) lines.push(`  note: ${note}`);
  return lines;
}

function excludedText(summary: SinkSyncSummary): string {
  const parts = [];
  if (summary.excluded.noKey > 0) parts.push(`${number(summary.excluded.noKey)} without a key`);
  if (summary.excluded.noConsent > 0) parts.push(`${number(summary.excluded.noConsent)} without consent`);
  if (summary.excluded.sharedKey > 0) parts.push(`${number(summary.excluded.sharedKey)} sharing a key with a more recent profile`);
  if (summary.excluded.suppressed > 0) parts.push(`${number(summary.excluded.suppressed)} under an erasure request`);
  return parts.length > 0 ? ` (left out: ${parts.join(', ')})` : '';
}
