/**
 * The script the report runs when opened: draws each chart from its inlined
 * option. Kept as a string because it runs in the browser, not in Node.
 * ARIA descriptions and decal patterns are on for every chart (readable
 * without colour); tooltips render as rich text inside the chart, never as
 * HTML, so no user text becomes markup; no animation, so print and
 * screenshots show the final picture.
 */
export const REPORT_CLIENT_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var charts = [];
  document.querySelectorAll('[data-chart]').forEach(function (element) {
    var option = data.charts[element.getAttribute('data-chart')];
    if (!option) return;
    var chart = echarts.init(element, null, { renderer: 'svg' });
    var tooltip = option.tooltip ? Object.assign({}, option.tooltip, { renderMode: 'richText', confine: true }) : undefined;
    chart.setOption(Object.assign({}, option, { animation: false, aria: { enabled: true, label: { description: element.getAttribute('aria-label') }, decal: { show: true } } }, tooltip ? { tooltip: tooltip } : {}));
    element.setAttribute('data-rendered', 'true');
    charts.push(chart);
  });
  var resize = function () { charts.forEach(function (chart) { chart.resize(); }); };
  window.addEventListener('resize', resize);
  window.addEventListener('beforeprint', resize);
  window.addEventListener('afterprint', resize);
})();
`;
