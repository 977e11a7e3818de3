import {h, text, fill, pct, num, value, duration, clock, stateBadge, setState, throttle, STATES, stateLabel, windowLabel} from '../util.js';
import {store, on, kpisOf, historyOf} from '../store.js';
import {get} from '../api.js';
import {kpiChart, pareto, stateTimeline} from '../charts.js';
import {reasonText} from '../tile.js';

/** One machine: KPIs, state timeline, KPI history, downtime Pareto and its live signals. */
export function machineView(root, id) {
  const m = store.machineById.get(id);
  if (!m) {
    root.append(h('div', {class: 'page-head'}, h('h1', {}, 'Unknown machine ' + id)), h('p', {}, h('a', {href: '#/'}, 'Back to the overview')));
    return {destroy() {}};
  }
  const badge = stateBadge(null);
  const reason = h('span', {class: 'muted'});
  const stats = {};
  const stat = (key, label) => h('div', {class: 'stat'}, h('span', {}, label), (stats[key] = h('b', {}, '–')));
  const windowTitles = [];
  const wt = () => {
    const s = h('span', {class: 'muted'});
    windowTitles.push(s);
    return s;
  };
  const timelineEl = h('div', {class: 'chart'});
  const historyEl = h('div', {class: 'chart'});
  const paretoEl = h('div', {class: 'chart'});
  const paretoTable = h('tbody');
  const paretoEmpty = h('p', {class: 'empty'}, 'No downtime in this window.');
  const signalRows = h('tbody');
  const meta = Object.entries(m.metadata || {}).map(([k, v]) => h('span', {class: 'chip'}, k + ': ' + v));

  root.append(
    h(
      'div',
      {class: 'page-head machine-head', dataset: {machine: id}},
      h('a', {href: '#/', class: 'back'}, '← Overview'),
      h('h1', {}, id),
      badge,
      reason
    ),
    h('p', {class: 'machine-desc'}, m.description || '', ' ', h('span', {class: 'muted'}, m.path), ' ', meta, h('span', {class: 'chip'}, 'connection: ' + m.connection)),
    h(
      'section',
      {class: 'panel'},
      h('h2', {}, 'KPIs ', wt()),
      h(
        'div',
        {class: 'stats big'},
        stat('oee', 'OEE'),
        stat('availability', 'Availability'),
        stat('effectiveness', 'Performance'),
        stat('quality', 'Quality'),
        stat('gq', 'Good'),
        stat('sq', 'Reject'),
        stat('throughput_per_h', 'Parts / h'),
        stat('mtbf_s', 'MTBF'),
        stat('mttr_s', 'MTTR'),
        stat('energy_per_part_wh', 'Wh / good part')
      )
    ),
    h(
      'section',
      {class: 'panel'},
      h('h2', {}, 'State, last hour'),
      timelineEl,
      h('div', {class: 'legend'}, STATES.map((s) => h('span', {class: 'legend-item'}, h('i', {class: 'swatch state-' + s}), stateLabel(s))))
    ),
    h('div', {class: 'two-cols'},
      h('section', {class: 'panel'}, h('h2', {}, 'KPI history ', wt()), historyEl, h('p', {class: 'muted small'}, 'Kept in this browser since the page was opened.')),
      h(
        'section',
        {class: 'panel'},
        h('h2', {}, 'Downtime Pareto ', wt()),
        paretoEl,
        paretoEmpty,
        h('table', {class: 'table compact-table'}, h('thead', {}, h('tr', {}, h('th', {}, 'Reason'), h('th', {}, 'State'), h('th', {class: 'num'}, 'Time'), h('th', {class: 'num'}, 'Stops'))), paretoTable)
      )
    ),
    h(
      'section',
      {class: 'panel'},
      h('h2', {}, 'Signals'),
      h('table', {class: 'table signals', id: 'signals'}, h('thead', {}, h('tr', {}, h('th', {}, 'Signal'), h('th', {class: 'num'}, 'Value'), h('th', {}, 'Quality'), h('th', {class: 'num'}, 'Changed'))), signalRows)
    )
  );

  const timeline = stateTimeline(timelineEl);
  const history = kpiChart(historyEl);
  const bars = pareto(paretoEl);
  const rows = new Map();

  function updateKpis() {
    const st = store.states.get(id);
    setState(badge, st && st.state);
    text(reason, reasonText(id, st));
    windowTitles.forEach((s) => text(s, '· ' + windowLabel(store.window)));
    const k = kpisOf(id) || {};
    for (const key of ['oee', 'availability', 'effectiveness', 'quality']) text(stats[key], pct(k[key]));
    text(stats.gq, num(k.gq));
    text(stats.sq, num(k.sq));
    text(stats.throughput_per_h, num(k.throughput_per_h, 1));
    text(stats.mtbf_s, k.failures ? duration(k.mtbf_s) : '–');
    text(stats.mttr_s, k.failures ? duration(k.mttr_s) : '–');
    text(stats.energy_per_part_wh, num(k.energy_per_part_wh, 1));
    history.update(historyOf(id));
    timeline.update(store.timeline.get(id));
  }

  function updateSignals() {
    const signals = store.signals.get(id) || new Map();
    const names = [...new Set([...(m.signals || []), ...signals.keys()])].sort();
    if (names.length !== rows.size) {
      rows.clear();
      fill(signalRows, names.map((n) => {
        const r = {value: h('td', {class: 'num'}), quality: h('td'), age: h('td', {class: 'num'})};
        rows.set(n, r);
        return h('tr', {dataset: {signal: n}}, h('td', {}, n), r.value, r.quality, r.age);
      }));
    }
    const now = Date.now();
    for (const [n, r] of rows) {
      const s = signals.get(n);
      text(r.value, s ? value(s.value) : '–');
      text(r.quality, s ? s.quality : 'no data');
      r.quality.className = 'quality-' + (s ? s.quality : 'NONE');
      text(r.age, s ? duration((now - s.time) / 1000) + ' ago' : '–');
    }
  }

  async function loadDowntime() {
    try {
      const d = await get('api/machines/' + encodeURIComponent(id) + '/downtime?window=' + encodeURIComponent(store.window));
      const reasons = d.reasons || [];
      paretoEl.hidden = reasons.length === 0;
      paretoEmpty.hidden = reasons.length !== 0;
      bars.update(reasons.slice(0, 12));
      fill(paretoTable, reasons.map((r) => h('tr', {}, h('td', {}, r.reason || '–'), h('td', {}, stateLabel(r.state)), h('td', {class: 'num'}, duration(r.seconds)), h('td', {class: 'num'}, num(r.count)))));
    } catch (e) {
      fill(paretoTable, h('tr', {}, h('td', {colspan: 4}, 'Downtime unavailable: ' + e.message)));
    }
  }

  async function loadSignals() {
    try {
      const s = await get('api/machines/' + encodeURIComponent(id) + '/signals');
      let map = store.signals.get(id);
      if (!map) store.signals.set(id, (map = new Map()));
      for (const sig of s.signals || []) {
        if (!map.has(sig.name) && sig.quality) {
          map.set(sig.name, {value: sig.value, quality: sig.quality, time: Date.parse(sig.sourceTime) || Date.now()});
        }
      }
      updateSignals();
    } catch (e) {
      console.warn('signals', e);
    }
  }

  updateKpis();
  updateSignals();
  loadSignals();
  loadDowntime();
  const downtimeTimer = setInterval(loadDowntime, 10000);
  const kpiRefresh = throttle(updateKpis, 500);
  const signalRefresh = throttle(updateSignals, 500);
  const offs = [
    on('kpis', kpiRefresh),
    on('state', (e) => e.machine === id && (kpiRefresh(), loadDowntime())),
    on('signals', (touched) => touched.has(id) && signalRefresh()),
    on('window', () => (updateKpis(), loadDowntime())),
    on('tick', () => (signalRefresh(), kpiRefresh())),
  ];
  return {
    destroy() {
      offs.forEach((off) => off());
      clearInterval(downtimeTimer);
      timeline.destroy();
      history.destroy();
      bars.destroy();
    },
  };
}
