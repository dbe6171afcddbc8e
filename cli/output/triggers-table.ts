import type { TriggersTestResult } from '../../core/runtime/triggers/triggers-test-job.js';
import { HOLD_REASONS, type HoldReason } from '../../core/triggers/guards/guard-types.js';

const REASON_TEXT: Record<HoldReason, string> = {
  frequency_cap: 'by the frequency cap',
  cooldown: 'by cooldowns',
  quiet_hours_deferred: 'deferred by quiet hours',
  no_consent: 'without consent',
  suppressed: 'suppressed (erased or opted out)',
  too_late: 'events too late to apply',
};

/** `segflow triggers test` as text: the headline, per trigger, then examples. Profile ids are shown; payload values are not (they may hold traits). */
export function formatTriggersTest(result: TriggersTestResult): string {
  const { report } = result;
  const out: string[] = [];
  const held = (by: Partial<Record<HoldReason, number>>) => HOLD_REASONS.filter((reason) => (by[reason] ?? 0) > 0).map((reason) => `${number(by[reason] ?? 0)} ${REASON_TEXT[reason]}`);
  const until = result.lastEventAt === undefined ? '' : ` (events up to ${new Date(result.lastEventAt).toISOString()})`;
  out.push(`replayed ${number(result.events)} stored events through ${Object.keys(report.by_trigger).length} trigger(s)${until}; nothing was sent`);
  const headline = held(report.held_by);
  out.push(`would fire ${number(report.would_fire)} action(s)${headline.length > 0 ? `; held: ${headline.join(', ')}` : ''}`);
  for (const [triggerId, counts] of Object.entries(report.by_trigger)) {
    const reasons = held(counts.held_by);
    out.push(`  ${triggerId}: ${number(counts.would_fire)} would fire${reasons.length > 0 ? `; ${reasons.join(', ')}` : ''}`);
  }
  if (report.examples.fired.length > 0) {
    out.push('examples that would fire:');
    for (const action of report.examples.fired) {
      const due = action.dueAt === undefined ? '' : ` (due ${new Date(action.dueAt).toISOString()})`;
      out.push(`  ${action.triggerId} → ${action.sink} ${action.kind}${action.target ? ` ${action.target}` : ''} for ${action.profileId}${action.matchKey ? ` [${action.matchKey}]` : ''} at ${new Date(action.occurredAt).toISOString()}${due}`);
    }
  }
  for (const reason of HOLD_REASONS) {
    const examples = report.examples.held[reason] ?? [];
    if (examples.length === 0) continue;
    out.push(`examples held ${REASON_TEXT[reason]}:`);
    for (const hold of examples) out.push(`  ${hold.triggerId} for ${hold.profileId} at ${new Date(hold.at).toISOString()}${hold.until !== undefined ? ` until ${new Date(hold.until).toISOString()}` : ''}`);
  }
  return `${out.join('\n')}\n`;
}

function number(value: number): string {
  return value.toLocaleString('en-US');
}
