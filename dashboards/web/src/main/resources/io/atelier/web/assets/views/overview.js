import {h, text, STATES, stateLabel, throttle} from '../util.js';
import {store, on} from '../store.js';
import {machineTile} from '../tile.js';

/** One tile per machine, live. */
export function overview(root) {
  const counts = h('div', {class: 'state-counts'});
  const grid = h('div', {class: 'tiles', id: 'overview-tiles'});
  root.append(
    h('div', {class: 'page-head'}, h('h1', {}, 'Platform overview'), counts),
    grid
  );
  let tiles = [];

  function build() {
    tiles.forEach((t) => t.destroy());
    tiles = store.machines.map((m) => machineTile(m));
    grid.replaceChildren(...tiles.map((t) => t.el));
    if (!tiles.length) grid.append(h('p', {class: 'empty'}, 'No machines configured.'));
  }

  function update() {
    tiles.forEach((t) => t.update());
    const n = {};
    for (const m of store.machines) {
      const s = store.states.get(m.id)?.state || 'UNKNOWN';
      n[s] = (n[s] || 0) + 1;
    }
    counts.replaceChildren(
      ...[...STATES, 'UNKNOWN']
        .filter((s) => n[s])
        .map((s) => h('span', {class: 'count state-' + s}, n[s] + ' ' + stateLabel(s === 'UNKNOWN' ? null : s).toLowerCase()))
    );
  }

  const refresh = throttle(update, 250);
  build();
  update();
  const offs = [
    on('machines', () => {
      build();
      update();
    }),
    on('state', refresh),
    on('kpis', refresh),
    on('window', update),
    on('tick', refresh),
  ];
  return {destroy: () => (offs.forEach((off) => off()), tiles.forEach((t) => t.destroy()))};
}
