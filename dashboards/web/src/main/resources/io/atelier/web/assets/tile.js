// A machine tile: name, state colour, OEE with A/P/Q, good/reject counts and a live sparkline.
// Used by the overview (full) and the line view (compact).

import {h, text, pct, num, duration, stateBadge, setState} from './util.js';
import {store, kpisOf, historyOf} from './store.js';
import {sparkline} from './charts.js';

export function machineTile(m, {compact = false} = {}) {
  const badge = stateBadge(null);
  const oee = h('span', {class: 'oee-value'}, '–');
  const a = h('b', {}, '–');
  const p = h('b', {}, '–');
  const q = h('b', {}, '–');
  const good = h('b', {}, '–');
  const reject = h('b', {}, '–');
  const reason = h('div', {class: 'tile-reason'});
  const conn = h('div', {class: 'tile-conn'});
  const windowName = h('span', {class: 'oee-window'});
  const spark = h('div', {class: 'spark'});
  const el = h(
    'a',
    {
      class: 'tile' + (compact ? ' compact' : ''),
      href: '#/machine/' + encodeURIComponent(m.id),
      dataset: {machine: m.id},
      title: 'Open ' + m.id,
    },
    h('div', {class: 'tile-head'}, h('h2', {class: 'tile-name'}, m.id), badge),
    compact
      ? null
      : h('div', {class: 'tile-desc', title: m.description || ''}, [m.description || m.metadata?.type, m.line].filter(Boolean).join(' · ')),
    reason,
    h(
      'div',
      {class: 'tile-oee'},
      h('span', {class: 'oee-label'}, 'OEE'),
      oee,
      compact ? null : windowName
    ),
    h(
      'div',
      {class: 'tile-apq'},
      h('span', {title: 'Availability'}, 'A ', a),
      h('span', {title: 'Performance (effectiveness)'}, 'P ', p),
      h('span', {title: 'Quality'}, 'Q ', q)
    ),
    h(
      'div',
      {class: 'tile-counts'},
      h('span', {class: 'good'}, 'Good ', good),
      h('span', {class: 'reject'}, 'Reject ', reject)
    ),
    compact ? null : spark,
    conn
  );
  const chart = compact ? null : sparkline(spark);

  function update() {
    const st = store.states.get(m.id);
    setState(badge, st && st.state);
    el.dataset.state = (st && st.state) || 'UNKNOWN';
    const k = kpisOf(m.id) || {};
    text(oee, pct(k.oee));
    oee.dataset.value = typeof k.oee === 'number' ? k.oee.toFixed(4) : '';
    text(a, pct(k.availability, 0));
    text(p, pct(k.effectiveness, 0));
    text(q, pct(k.quality, 0));
    text(good, num(k.gq));
    text(reject, num(k.sq));
    text(windowName, store.window.startsWith('session:') ? 'session' : store.window);
    text(reason, reasonText(m.id, st));
    const status = store.machineById.get(m.id)?.status;
    text(conn, status && status !== 'CONNECTED' ? 'connection ' + status : '');
    if (chart) chart.update(historyOf(m.id));
  }

  update();
  return {el, update, destroy: () => chart && chart.destroy()};
}

/** "DOWN for 2 min 5 s · tool-breakage" */
export function reasonText(machine, st) {
  if (!st) return 'waiting for data';
  const since = 'for ' + duration((Date.now() - st.since) / 1000);
  let why = '';
  if (st.state === 'DOWN') {
    const alarm = store.signals.get(machine)?.get('alarm_text')?.value;
    why = alarm || st.reason;
  } else if (st.state !== 'PRODUCING' && st.reason.toUpperCase() !== st.state) {
    why = st.reason;
  }
  return why ? since + ' · ' + why : since;
}
