// Charts, all drawn by uPlot (from its WebJar, served by the gateway). These functions only
// choose series, scales and colours; each returns {update(...), destroy()}.

import uPlot from '../webjars/uplot/1.6.30/dist/uPlot.esm.js';
import {STATES, STATE_COLOURS} from './util.js';

const AXIS = {
  stroke: '#cbd5e1',
  grid: {stroke: 'rgba(148, 163, 184, 0.15)', width: 1},
  ticks: {stroke: 'rgba(148, 163, 184, 0.3)', width: 1},
  font: '13px system-ui, sans-serif',
};

const percentAxis = {...AXIS, values: (u, splits) => splits.map((v) => Math.round(v * 100) + '%')};

/** A chart that follows its container's width. */
function responsive(el, opts, data) {
  const width = () => Math.max(120, el.clientWidth || 300);
  const chart = new uPlot({...opts, width: width()}, data, el);
  const ro = new ResizeObserver(() => chart.setSize({width: width(), height: opts.height}));
  ro.observe(el);
  return {
    chart,
    destroy() {
      ro.disconnect();
      chart.destroy();
    },
  };
}

function ratioRange(u, min, max) {
  return [0, Math.max(1, max || 0)];
}

/** A small OEE sparkline without axes, for tiles. */
export function sparkline(el, {height = 56, colour = '#38bdf8'} = {}) {
  const opts = {
    height,
    legend: {show: false},
    cursor: {show: false},
    select: {show: false},
    axes: [{show: false}, {show: false}],
    scales: {x: {time: true}, y: {range: ratioRange}},
    series: [{}, {stroke: colour, width: 2, fill: colour + '26', points: {show: false}}],
  };
  const r = responsive(el, opts, [[], []]);
  return {
    update(hist, key = 'oee') {
      r.chart.setData(hist ? [hist.t, hist[key]] : [[], []]);
    },
    destroy: r.destroy,
  };
}

/** OEE with availability, performance and quality over time. */
export function kpiChart(el, {height = 260} = {}) {
  const series = [
    {label: 'OEE', key: 'oee', stroke: '#f8fafc', width: 3},
    {label: 'Availability', key: 'availability', stroke: '#34d399', width: 2},
    {label: 'Performance', key: 'effectiveness', stroke: '#60a5fa', width: 2},
    {label: 'Quality', key: 'quality', stroke: '#fbbf24', width: 2},
  ];
  const opts = {
    height,
    legend: {show: true},
    scales: {x: {time: true}, y: {range: ratioRange}},
    axes: [{...AXIS}, {...percentAxis, size: 56}],
    series: [
      {},
      ...series.map((s) => ({
        label: s.label,
        stroke: s.stroke,
        width: s.width,
        points: {show: false},
        spanGaps: true,
        value: (u, v) => (v == null ? '–' : (v * 100).toFixed(1) + ' %'),
      })),
    ],
  };
  const r = responsive(el, opts, [[], [], [], [], []]);
  return {
    update(hist) {
      r.chart.setData(hist ? [hist.t, ...series.map((s) => hist[s.key])] : [[], [], [], [], []]);
    },
    destroy: r.destroy,
  };
}

/** Downtime by reason, longest first (a Pareto chart of bars). */
export function pareto(el, {height = 240} = {}) {
  let r = null;
  let labels = [];
  const build = () => {
    const opts = {
      height,
      legend: {show: false},
      cursor: {show: false},
      select: {show: false},
      scales: {
        x: {time: false, range: () => [-0.5, Math.max(labels.length, 1) - 0.5]},
        y: {range: (u, min, max) => [0, Math.max(10, max * 1.1)]},
      },
      axes: [
        {
          ...AXIS,
          splits: () => labels.map((_, i) => i),
          values: (u, splits) => splits.map((i) => labels[i] || ''),
          grid: {show: false},
        },
        {...AXIS, size: 64, values: (u, splits) => splits.map((v) => Math.round(v) + ' s')},
      ],
      series: [
        {},
        {
          label: 'Downtime',
          fill: '#ef4444cc',
          stroke: '#ef4444',
          width: 1,
          points: {show: false},
          paths: uPlot.paths.bars({size: [0.6, 120]}),
        },
      ],
    };
    return responsive(el, opts, [[], []]);
  };
  return {
    update(rows) {
      const next = rows.map((row) => row.reason || row.state);
      if (!r || next.join('\u0000') !== labels.join('\u0000')) {
        if (r) r.destroy();
        labels = next;
        r = build();
      }
      r.chart.setData([rows.map((_, i) => i), rows.map((row) => row.seconds)]);
    },
    destroy() {
      if (r) r.destroy();
    },
  };
}

/** A machine's states over the last hour, one coloured band per state. */
export function stateTimeline(el, {height = 72, spanSeconds = 3600} = {}) {
  const opts = {
    height,
    legend: {show: false},
    cursor: {show: false},
    select: {show: false},
    scales: {x: {time: true}, y: {range: [0, 1]}},
    axes: [{...AXIS}, {show: false}],
    series: [
      {},
      ...STATES.map((s) => ({
        label: s,
        stroke: STATE_COLOURS[s],
        width: 0,
        fill: STATE_COLOURS[s],
        points: {show: false},
        paths: uPlot.paths.stepped({align: 1}),
      })),
    ],
  };
  const r = responsive(el, opts, [[], ...STATES.map(() => [])]);
  return {
    update(segments, nowMs = Date.now()) {
      const now = nowMs / 1000;
      const start = now - spanSeconds;
      const visible = (segments || []).filter((s, i, all) => {
        const end = i + 1 < all.length ? all[i + 1].from / 1000 : now;
        return end > start;
      });
      const xs = visible.map((s) => Math.max(start, s.from / 1000));
      xs.push(now);
      const data = [xs];
      for (const state of STATES) {
        const ys = visible.map((s) => (s.state === state ? 1 : 0));
        ys.push(ys.length ? ys[ys.length - 1] : 0);
        data.push(ys);
      }
      r.chart.batch(() => {
        r.chart.setData(data, false);
        r.chart.setScale('x', {min: start, max: now});
      });
    },
    destroy: r.destroy,
  };
}
