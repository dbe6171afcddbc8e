import type { DriftAlert } from '../analysis/drift-alerts.js';

/**
 * Posts a run's alerts to the mapping's webhook (`analysis.drift.webhook`).
 * An alert is news, not a reason to fail the run: a refused or unreachable
 * webhook is reported in the summary and the run goes on. The URL is never
 * printed (it usually carries a token); only its host is.
 */
export interface WebhookOutcome {
  delivered: boolean;
  alerts: number;
  /** Why not, when not delivered. */
  error?: string;
}

export async function postAlerts(url: string, body: { mapping: string; runId: string; alerts: readonly DriftAlert[] }, timeoutMs = 10_000): Promise<WebhookOutcome> {
  let host = 'the webhook';
  try {
    host = new URL(url).host;
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    if (!response.ok) return { delivered: false, alerts: body.alerts.length, error: `${host} answered HTTP ${response.status}` };
    return { delivered: true, alerts: body.alerts.length };
  } catch (error) {
    return { delivered: false, alerts: body.alerts.length, error: `${host} could not be reached (${(error as Error).name === 'TimeoutError' ? `no answer in ${timeoutMs / 1000} s` : (error as Error).message})` };
  }
}
