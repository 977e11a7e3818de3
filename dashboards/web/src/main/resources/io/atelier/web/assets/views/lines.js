import {h, text, pct, num, throttle} from '../util.js';
import {store, on, lines, kpisOf, historyOf} from '../store.js';
import {machineTile} from '../tile.js';
import {sparkline} from '../charts.js';

/** Per line: KPIs summed over its machines by the gateway (never averaged ratios), its machines. */
export function linesView(root) {
  root.append(h('div', {class: 'page-head'}, h('h1', {}, 'Lines')));
  const container = h('div', {class: 'lines'});
  root.append(container);
  let parts = [];

  function build() {
    parts.forEach((p) => p.destroy());
    parts = lines().map(linePanel);
    container.replaceChildren(...parts.map((p) => p.el));
    parts.forEach((p) => p.update());
  }

  const update = throttle(() => parts.forEach((p) => p.update()), 250);
  build();
  const offs = [
    on('machines', build),
    on('state', update),
    on('kpis', update),
    on('window', update),
    on('tick', update),
  ];
  return {destroy: () => (offs.forEach((off) => off()), parts.forEach((p) => p.destroy()))};
}

function linePanel(line) {
  const oee = h('span', {class: 'oee-value'}, '–');
  const stats = {};
  const stat = (key, label) => h('div', {class: 'stat'}, h('span', {}, label), (stats[key] = h('b', {}, '–')));
  const spark = h('div', {class: 'spark'});
  const tiles = line.machines.map((m) => machineTile(m, {compact: true}));
  const el = h(
    'section',
    {class: 'panel line', dataset: {line: line.path}},
    h('div', {class: 'line-head'}, h('h2', {}, line.name), h('span', {class: 'muted'}, line.path)),
    h(
      'div',
      {class: 'line-body'},
      h(
        'div',
        {class: 'line-kpis'},
        h('div', {class: 'tile-oee'}, h('span', {class: 'oee-label'}, 'Line OEE'), oee),
        h(
          'div',
          {class: 'stats'},
          stat('availability', 'Availability'),
          stat('effectiveness', 'Performance'),
          stat('quality', 'Quality'),
          stat('gq', 'Good'),
          stat('sq', 'Reject'),
          stat('throughput_per_h', 'Parts / h')
        ),
        spark
      ),
      h('div', {class: 'tiles compact'}, tiles.map((t) => t.el))
    )
  );
  const chart = sparkline(spark, {height: 64});
  return {
    el,
    update() {
      const k = kpisOf(line.path) || {};
      text(oee, pct(k.oee));
      text(stats.availability, pct(k.availability));
      text(stats.effectiveness, pct(k.effectiveness));
      text(stats.quality, pct(k.quality));
      text(stats.gq, num(k.gq));
      text(stats.sq, num(k.sq));
      text(stats.throughput_per_h, num(k.throughput_per_h, 1));
      chart.update(historyOf(line.path));
      tiles.forEach((t) => t.update());
    },
    destroy() {
      chart.destroy();
      tiles.forEach((t) => t.destroy());
    },
  };
}
