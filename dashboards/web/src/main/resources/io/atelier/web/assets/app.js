// The dashboard's entry point: loads what the API knows, connects the live feed, and shows the
// page the address names (#/, #/lines, #/machine/<id>, #/connections, #/trainer).

import {h, fill, windowLabel} from './util.js';
import {get, token, setToken, onUnauthorized} from './api.js';
import {store, on, emit, setMachines, setWindow, applyState, applyKpis} from './store.js';
import {connect, resubscribe} from './live.js';
import {overview} from './views/overview.js';
import {linesView} from './views/lines.js';
import {machineView} from './views/machine.js';
import {connectionsView} from './views/connections.js';
import {trainerView} from './views/trainer.js';

const main = document.getElementById('view');
let current = null;

const ROUTES = [
  {pattern: /^#?\/?$/, nav: 'overview', mount: (root) => overview(root)},
  {pattern: /^#\/lines$/, nav: 'lines', mount: (root) => linesView(root)},
  {pattern: /^#\/machine\/(.+)$/, nav: 'overview', mount: (root, m) => machineView(root, decodeURIComponent(m[1]))},
  {pattern: /^#\/connections$/, nav: 'connections', mount: (root) => connectionsView(root)},
  {pattern: /^#\/trainer$/, nav: 'trainer', mount: (root) => trainerView(root)},
];

function route() {
  if (current) current.destroy();
  current = null;
  const hash = location.hash || '#/';
  const r = ROUTES.find((x) => x.pattern.test(hash)) || ROUTES[0];
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('active', a.dataset.nav === r.nav));
  const root = h('div', {class: 'page'});
  fill(main, root);
  current = r.mount(root, hash.match(r.pattern));
  window.scrollTo(0, 0);
}

// ------------------------------------------------------------------- data from the REST API

async function loadMachines() {
  const r = await get('api/machines');
  const list = r.machines || [];
  const ids = (ms) => ms.map((m) => m.id).join();
  if (ids(list) === ids(store.machines)) {
    // Same machines: refresh what they say (connection status) without rebuilding the pages.
    list.forEach((m) => store.machineById.set(m.id, m));
    store.machines = list;
    return;
  }
  setMachines(list);
  resubscribe();
}

async function loadStates() {
  await Promise.all(
    store.machines.map(async (m) => {
      try {
        const r = await get('api/machines/' + encodeURIComponent(m.id) + '/state');
        if (r.state) applyState(m.id, r.state);
      } catch (e) {
        console.warn('state of', m.id, e.message);
      }
    })
  );
}

async function loadKpis(window) {
  try {
    const r = await get('api/kpis?window=' + encodeURIComponent(window));
    (r.machines || []).forEach((x) => applyKpis(x.machine, r.window, x.kpis));
    (r.lines || []).forEach((x) => applyKpis(x.line, r.window, x.kpis));
    emit('kpis');
  } catch (e) {
    console.warn('KPIs', e.message);
  }
}

async function start() {
  try {
    store.me = await get('api/me');
  } catch (e) {
    if (e.status === 401) return; // the token dialog is open; it reloads the page
    showProblem('The gateway did not answer: ' + e.message);
    return;
  }
  document.getElementById('who').textContent = store.me.name + ' · ' + store.me.role;
  try {
    const w = await get('api/kpis/windows');
    if (w.windows && w.windows.length) store.windows = w.windows;
  } catch (e) {
    console.warn('windows', e.message);
  }
  if (!store.windows.includes(store.window)) setWindow(store.windows[0]);
  buildWindowSelect();
  try {
    await loadMachines();
  } catch (e) {
    showProblem('Machines unavailable: ' + e.message);
  }
  await Promise.all([loadStates(), loadKpis(store.window)]);
  route();
  connect();
  setInterval(() => loadMachines().catch(() => {}), 15000);
}

// ------------------------------------------------------------------- header controls

function buildWindowSelect() {
  const select = document.getElementById('window');
  fill(select, store.windows.map((w) => h('option', {value: w, selected: w === store.window}, windowLabel(w))));
  select.onchange = () => {
    setWindow(select.value);
    loadKpis(select.value);
  };
}

const LIVE_TEXT = {connecting: 'connecting…', live: 'live', offline: 'reconnecting…', unauthorized: 'no access'};
let wasLive = false;
on('live', (status) => {
  const el = document.getElementById('live');
  el.textContent = LIVE_TEXT[status] || status;
  el.className = 'live-status live-' + status;
  if (status === 'live' && wasLive) {
    // Back after an outage: fetch what changed meanwhile.
    loadStates();
    loadKpis(store.window);
  }
  if (status === 'live') wasLive = true;
});

function setupProjector() {
  const btn = document.getElementById('projector');
  const apply = (on) => {
    document.body.classList.toggle('projector', on);
    btn.setAttribute('aria-pressed', String(on));
    localStorage.setItem('atelier.projector', on ? '1' : '');
  };
  apply(localStorage.getItem('atelier.projector') === '1');
  btn.onclick = () => apply(!document.body.classList.contains('projector'));
}

function setupToken() {
  const dialog = document.getElementById('token-dialog');
  const input = document.getElementById('token-input');
  const reason = document.getElementById('token-reason');
  const open = (why) => {
    reason.textContent = why || '';
    input.value = token();
    if (!dialog.open) dialog.showModal();
  };
  document.getElementById('token-button').onclick = () => open('');
  document.getElementById('token-form').onsubmit = (e) => {
    e.preventDefault();
    setToken(input.value);
    location.reload();
  };
  document.getElementById('token-clear').onclick = () => {
    setToken('');
    location.reload();
  };
  document.getElementById('token-cancel').onclick = () => dialog.close();
  onUnauthorized((e) => open(token() ? 'The gateway refused this token: ' + e.message : 'This gateway needs an access token.'));
  on('auth-required', (why) => open('The live feed needs a valid token (' + why + ').'));
}

function showProblem(message) {
  fill(main, h('div', {class: 'page'}, h('p', {class: 'error-text big'}, message)));
}

setupProjector();
setupToken();
window.addEventListener('hashchange', route);
setInterval(() => emit('tick'), 1000);
start();
