import { escapeHtml } from './html-escape.js';

/**
 * The dashboard's live section (`segflow serve` /ui): the same report,
 * with a panel of counters at the top that the page refreshes from a JSON
 * endpoint of the same origin. Values are written with textContent only,
 * never as markup. The counters are a flat map, so the panel needs no code
 * per counter: each row's `data-live` names its key.
 */
export interface LiveCounter {
  key: string;
  label: string;
}

export interface LiveOptions {
  /** Same-origin URL of the counters (JSON: `{counters: {key: number|string}, alerts: string[]}`). */
  url: string;
  intervalMs: number;
  counters: readonly LiveCounter[];
}

export function livePanelHtml(options: LiveOptions): string {
  const rows = options.counters.map((counter) => `<tr><th scope="row">${escapeHtml(counter.label)}</th><td class="number" data-live="${escapeHtml(counter.key)}">…</td></tr>`).join('\n');
  return `<section id="live" aria-labelledby="live-heading" aria-live="polite">
<h2 id="live-heading" tabindex="-1">Live</h2>
<p>Counters of this server since it started, refreshed every ${Math.round(options.intervalMs / 1000)} s. <span data-live-status>Waiting for the first update.</span></p>
<div class="table-wrap" tabindex="0" role="region" aria-label="Live counters"><table id="live-counters"><caption>Live counters</caption>
<thead><tr><th scope="col">Counter</th><th scope="col">Value</th></tr></thead><tbody>
${rows}
</tbody></table></div>
<h3>Alerts</h3>
<ul id="live-alerts"><li>None.</li></ul>
</section>`;
}

/** The browser side: polls the counters, writes them as text. A failed poll says so and keeps the last values. */
export function liveClientScript(options: LiveOptions): string {
  return `
(function () {
  var url = ${JSON.stringify(options.url)};
  var status = document.querySelector('[data-live-status]');
  var alerts = document.getElementById('live-alerts');
  function show(body) {
    document.querySelectorAll('[data-live]').forEach(function (cell) {
      var value = body.counters[cell.getAttribute('data-live')];
      cell.textContent = value === undefined || value === null ? '—' : (typeof value === 'number' ? value.toLocaleString('en-US') : String(value));
      cell.setAttribute('data-value', value === undefined || value === null ? '' : String(value));
    });
    while (alerts.firstChild) alerts.removeChild(alerts.firstChild);
    var list = body.alerts && body.alerts.length > 0 ? body.alerts : ['None.'];
    list.forEach(function (text) { var item = document.createElement('li'); item.textContent = String(text); alerts.appendChild(item); });
    status.textContent = 'Updated ' + new Date().toLocaleTimeString() + '.';
  }
  function poll() {
    fetch(url, { credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) { if (!response.ok) throw new Error('HTTP ' + response.status); return response.json(); })
      .then(show)
      .catch(function (error) { status.textContent = 'Update failed (' + error.message + '); showing the last values.'; })
      .finally(function () { setTimeout(poll, ${Math.max(250, options.intervalMs)}); });
  }
  poll();
})();
`;
}
