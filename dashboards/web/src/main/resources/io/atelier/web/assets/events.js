// The event log: what the trainer did (here or through the simulator's API and scenarios), and
// what the machines did (state changes from the live feed). Kept in memory for the page's life.

import {h, clock, stateLabel} from './util.js';
import {on} from './store.js';

const MAX = 300;
const entries = [];
const keys = new Set();
let list = null;

/** Adds an entry; `key` makes it idempotent (simulator events are polled again and again). */
export function log(source, message, time = Date.now(), key = null) {
  if (key) {
    if (keys.has(key)) return;
    keys.add(key);
  }
  const entry = {source, message, time};
  let i = entries.length;
  while (i > 0 && entries[i - 1].time > time) i--;
  entries.splice(i, 0, entry);
  if (entries.length > MAX) entries.shift();
  render();
}

/** Shows the log in `el` (newest first), or stops showing it with null. */
export function eventLog(el) {
  list = el;
  render();
}

function render() {
  if (!list) return;
  list.replaceChildren(
    ...entries
      .slice()
      .reverse()
      .map((e) =>
        h('li', {class: 'event event-' + e.source}, h('time', {}, clock(e.time)), h('span', {class: 'event-source'}, e.source), h('span', {class: 'event-text'}, e.message))
      )
  );
}

on('state', (e) => {
  if (e.previous && e.previous !== e.state) {
    log('machine', e.machine + ' ' + stateLabel(e.previous) + ' → ' + stateLabel(e.state) + (e.reason ? ' (' + e.reason + ')' : ''));
  }
});
