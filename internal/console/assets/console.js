// sitegroup console: draws a site's charts with the vendored Apache ECharts
// from the JSON the page carries (#chart-data). No other script runs.
(function () {
  'use strict';
  var el = document.getElementById('chart-data');
  if (!el || !window.echarts) { return; }
  var d = JSON.parse(el.textContent);
  var zh = d.lang !== 'en';
  var t = {
    score: zh ? '得分' : 'Score', pass: zh ? '合格' : 'pass', fail: zh ? '不合格' : 'fail',
    probes: zh ? '正常探测' : 'Probes answered', failed: zh ? '失败次数' : 'Failed', rate: zh ? '失败率（%）' : 'Failure rate (%)',
    line: zh ? '合格线 60' : 'pass mark 60', verdict: zh ? '结论' : 'Verdict', limit: zh ? 'V1 否决线 5%' : 'V1 veto 5%'
  };
  var green = '#1a7f37', red = '#b42318', grey = '#8c959f';
  window.consoleCharts = {};

  function draw(id, option) {
    var node = document.getElementById(id);
    if (!node) { return; }
    var chart = echarts.init(node, null, { renderer: 'canvas' });
    chart.on('finished', function () { node.setAttribute('data-rendered', 'true'); });
    chart.setOption(option);
    window.consoleCharts[id] = chart;
    window.addEventListener('resize', function () { chart.resize(); });
  }

  if (d.monthly && d.monthly.length) {
    draw('chart-monthly', {
      animation: false,
      tooltip: {
        trigger: 'axis',
        formatter: function (ps) {
          var m = d.monthly[ps[0].dataIndex];
          return m.month + '<br>' + (m.verdict === 'pass' ? t.pass : t.fail) + ' · ' + t.score + ' ' + (m.score == null ? '—' : m.score);
        }
      },
      grid: { left: 40, right: 16, top: 24, bottom: 40 },
      xAxis: { type: 'category', data: d.monthly.map(function (m) { return m.month; }), axisLabel: { rotate: 45 } },
      // 0–100 for the score; the band above it is the verdict strip
      yAxis: { type: 'value', min: 0, max: 112, interval: 20, axisLabel: { formatter: function (v) { return v > 100 ? '' : v; } } },
      series: [{
        name: t.score, type: 'bar',
        data: d.monthly.map(function (m) {
          return { value: m.score == null ? 0 : m.score, itemStyle: { color: m.verdict === 'pass' ? green : red } };
        }),
        label: { show: d.monthly.length <= 12, position: 'top', formatter: function (p) { return d.monthly[p.dataIndex].verdict === 'pass' ? t.pass : t.fail; } },
        markLine: { symbol: 'none', silent: true, lineStyle: { color: grey, type: 'dashed' }, data: [{ yAxis: 60, name: t.line }], label: { formatter: t.line, position: 'insideEndTop' } }
      }, {
        // the verdict of each month, a strip of marks above the scores: a
        // failing month (score 0 after a veto) is seen, not a missing bar
        name: t.verdict, type: 'scatter', symbol: 'roundRect', symbolSize: [14, 10], silent: true,
        data: d.monthly.map(function (m) {
          return { value: 106, itemStyle: { color: m.verdict === 'pass' ? green : red } };
        })
      }]
    });
  }

  if (d.availability && d.availability.length) {
    draw('chart-availability', {
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { data: [t.probes, t.failed, t.rate], top: 0 },
      grid: { left: 40, right: 48, top: 32, bottom: 40 },
      xAxis: { type: 'category', data: d.availability.map(function (a) { return a.day; }), axisLabel: { rotate: 30 } },
      yAxis: [{ type: 'value', name: '' }, { type: 'value', name: '%', min: 0, max: function (v) { return Math.max(10, Math.ceil(v.max)); } }],
      series: [
        { name: t.probes, type: 'bar', stack: 'p', itemStyle: { color: '#8fbfe0' }, data: d.availability.map(function (a) { return a.probes - a.failed; }) },
        { name: t.failed, type: 'bar', stack: 'p', itemStyle: { color: red }, data: d.availability.map(function (a) { return a.failed; }) },
        {
          name: t.rate, type: 'line', yAxisIndex: 1, itemStyle: { color: '#9a6700' }, data: d.availability.map(function (a) { return a.rate; }),
          markLine: { symbol: 'none', silent: true, lineStyle: { color: red, type: 'dashed' }, data: [{ yAxis: 5 }], label: { formatter: t.limit, position: 'insideEndTop' } }
        }
      ]
    });
  }
}());
