import {h, text, fill, pct, num, clock, duration, stateBadge, setState, throttle} from '../util.js';
import {store, on, canOperate, seesAll, lines} from '../store.js';
import {get, post} from '../api.js';
import {log, eventLog} from '../events.js';

const ACTIONS = [
  {action: 'fault', label: 'Fault', kind: 'danger'},
  {action: 'setup', label: 'Setup', kind: 'info'},
  {action: 'planned-stop', label: 'Planned stop', kind: 'muted'},
  {action: 'resume', label: 'Resume', kind: 'ok'},
];

/**
 * For trainers: start and stop a training session and watch its KPIs, inject faults into the
 * simulated machines (through the gateway's simulator proxy), and follow what happened.
 */
export function trainerView(root) {
  const operate = canOperate();
  const sessionBox = h('div', {class: 'session-box'});
  const sessionKpis = h('div', {class: 'session-kpis'});
  const simNote = h('p', {class: 'error-text', id: 'simulator-note'});
  const cards = h('div', {class: 'trainer-machines'});
  const duration_ = h('select', {id: 'fault-duration', 'aria-label': 'Duration'},
    ['30s', '1m', '2m', '5m', '15m'].map((d) => h('option', {value: d, selected: d === '1m'}, d)),
    h('option', {value: ''}, 'until resume / default'));
  const reason = h('input', {id: 'fault-reason', type: 'text', value: 'tool-breakage', maxlength: 60, 'aria-label': 'Reason'});
  const speed = h('input', {id: 'speed', type: 'number', min: 0.01, max: 2, step: 0.05, value: 0.6, 'aria-label': 'Speed factor'});
  const scrap = h('input', {id: 'scrap-rate', type: 'number', min: 0, max: 1, step: 0.05, value: 0.2, 'aria-label': 'Scrap rate'});
  const target = h('select', {id: 'process-machine', 'aria-label': 'Machine'});
  const logList = h('ol', {class: 'event-log', id: 'event-log'});

  root.append(
    h('div', {class: 'page-head'}, h('h1', {}, 'Trainer panel'), operate ? null : h('span', {class: 'chip warn'}, 'read only: your token is a viewer')),
    h('section', {class: 'panel'}, h('h2', {}, 'Training session'), sessionBox, sessionKpis),
    h(
      'section',
      {class: 'panel'},
      h('h2', {}, 'Inject into the simulated machines'),
      simNote,
      h('div', {class: 'form-row'}, h('label', {}, 'Duration ', duration_), h('label', {}, 'Reason ', reason)),
      cards,
      h(
        'div',
        {class: 'form-row process'},
        h('label', {}, 'Machine ', target),
        h('label', {}, 'Speed ', speed),
        h('button', {class: 'btn', disabled: !operate, onclick: () => act(target.value, 'speed', {speed: Number(speed.value)})}, 'Set speed'),
        h('label', {}, 'Scrap rate ', scrap),
        h('button', {class: 'btn', disabled: !operate, onclick: () => act(target.value, 'scrap-rate', {'scrap-rate': Number(scrap.value)})}, 'Set scrap rate')
      ),
      seesAll()
        ? h(
            'div',
            {class: 'form-row'},
            h('span', {class: 'muted'}, 'Protocol endpoints: '),
            h('button', {class: 'btn', disabled: !operate, onclick: () => endpoint('opcua', 'restart')}, 'Restart OPC UA server'),
            h('button', {class: 'btn', disabled: !operate, onclick: () => endpoint('mqtt', 'stop', {duration: '30s'})}, 'Stop MQTT for 30 s')
          )
        : null
    ),
    h('section', {class: 'panel'}, h('h2', {}, 'Event log'), logList)
  );

  // ----------------------------------------------------------------- machines and actions
  const badges = new Map();
  function buildCards() {
    badges.clear();
    fill(target, store.machines.map((m) => h('option', {value: m.id}, m.id)));
    fill(
      cards,
      store.machines.map((m) => {
        const badge = stateBadge(store.states.get(m.id)?.state);
        badges.set(m.id, badge);
        return h(
          'div',
          {class: 'trainer-card', dataset: {machine: m.id}},
          h('div', {class: 'tile-head'}, h('h3', {}, m.id), badge),
          h(
            'div',
            {class: 'buttons'},
            ACTIONS.map((a) =>
              h(
                'button',
                {
                  class: 'btn ' + a.kind,
                  dataset: {action: a.action, machine: m.id},
                  disabled: !operate,
                  onclick: () => act(m.id, a.action, fieldsFor(a.action)),
                },
                a.label
              )
            )
          )
        );
      })
    );
  }

  function fieldsFor(action) {
    const f = {};
    if (['fault', 'setup', 'planned-stop'].includes(action) && duration_.value) f.duration = duration_.value;
    if (['fault', 'planned-stop'].includes(action) && reason.value.trim()) f.reason = reason.value.trim();
    return f;
  }

  async function act(machine, action, fields) {
    try {
      // The simulator logs the action itself; it shows up with the next poll, now.
      await post('api/simulator/machines/' + encodeURIComponent(machine) + '/' + action, fields);
      loadEvents();
    } catch (e) {
      log('error', machine + ': ' + action + ' failed: ' + e.message);
    }
  }

  async function endpoint(name, operation, fields = {}) {
    try {
      await post('api/simulator/endpoints/' + name + '/' + operation, fields);
      loadEvents();
    } catch (e) {
      log('error', name + ' endpoint: ' + operation + ' failed: ' + e.message);
    }
  }

  // ----------------------------------------------------------------- simulator events
  const seen = new Set();
  async function loadEvents() {
    try {
      const r = await get('api/simulator/events');
      simNote.textContent = '';
      for (const e of r.events || []) {
        if (seen.has(e.seq)) continue;
        seen.add(e.seq);
        const what = e.machine || e.endpoint || '';
        const extra = ['duration', 'reason', 'speed', 'scrap-rate'].filter((k) => e[k] !== undefined).map((k) => k + ' ' + e[k]);
        log(e.source === 'api' ? 'trainer' : e.source || 'simulator', what + ': ' + e.action + (extra.length ? ' (' + extra.join(', ') + ')' : '') + (e.outcome && e.outcome !== 'applied' ? ' – ' + e.outcome : ''), Date.parse(e.wall_time), 'sim-' + e.seq);
      }
    } catch (e) {
      simNote.textContent =
        e.status === 503
          ? 'No simulator is configured for this gateway (simulator.controlUrl), so there is nothing to inject into.'
          : 'The simulator control API is not reachable: ' + e.message;
    }
  }

  // ----------------------------------------------------------------- training sessions
  let sessions = [];
  let shown = null;
  const nameInput = h('input', {id: 'session-name', type: 'text', maxlength: 200, value: 'Training ' + new Date().toLocaleDateString('en-GB'), 'aria-label': 'Session name'});

  async function loadSessions() {
    try {
      sessions = (await get('api/sessions')).sessions || [];
    } catch (e) {
      fill(sessionBox, h('p', {class: 'error-text'}, 'Sessions unavailable: ' + e.message));
      return;
    }
    const running = sessions.find((s) => s.running);
    if (!shown || !sessions.some((s) => s.id === shown)) shown = running ? running.id : sessions[0]?.id || null;
    renderSessions(running);
    loadSessionKpis();
  }

  function renderSessions(running) {
    const current = running
      ? h(
          'div',
          {class: 'form-row'},
          h('span', {class: 'chip live'}, 'running'),
          h('b', {}, running.name),
          h('span', {class: 'muted'}, 'since ' + clock(Date.parse(running.started)) + ' (' + duration((Date.now() - Date.parse(running.started)) / 1000) + ')'),
          h('button', {class: 'btn danger', id: 'session-stop', disabled: !operate, onclick: () => stop(running)}, 'Stop session')
        )
      : h('div', {class: 'form-row'}, h('label', {}, 'Name ', nameInput), h('button', {class: 'btn ok', id: 'session-start', disabled: !operate, onclick: start}, 'Start session'));
    const past = sessions.filter((s) => !s.running).slice(0, 5);
    fill(
      sessionBox,
      current,
      past.length
        ? h('div', {class: 'form-row'}, h('span', {class: 'muted'}, 'Earlier: '), past.map((s) => h('button', {class: 'btn link' + (s.id === shown ? ' active' : ''), onclick: () => ((shown = s.id), renderSessions(sessions.find((x) => x.running)), loadSessionKpis())}, s.name + ' · ' + clock(Date.parse(s.started)))))
        : null
    );
  }

  async function start() {
    const name = nameInput.value.trim() || 'Training session';
    try {
      const s = await post('api/sessions', {name});
      shown = s.id;
      log('session', '"' + s.name + '" started');
    } catch (e) {
      log('error', 'session start failed: ' + e.message);
    }
    loadSessions();
  }

  async function stop(s) {
    try {
      await post('api/sessions/' + encodeURIComponent(s.id) + '/stop');
      log('session', '"' + s.name + '" stopped');
    } catch (e) {
      log('error', 'session stop failed: ' + e.message);
    }
    loadSessions();
  }

  async function loadSessionKpis() {
    if (!shown) {
      fill(sessionKpis, h('p', {class: 'muted'}, 'No session yet. A session measures KPIs from its start to its stop, for the machines in it.'));
      return;
    }
    let k;
    try {
      k = await get('api/kpis?window=' + encodeURIComponent('session:' + shown));
    } catch (e) {
      fill(sessionKpis, h('p', {class: 'error-text'}, 'Session KPIs unavailable: ' + e.message));
      return;
    }
    const row = (name, v, cls) =>
      h('tr', {class: cls}, h('td', {}, name), h('td', {class: 'num big'}, pct(v.oee)), h('td', {class: 'num'}, pct(v.availability)), h('td', {class: 'num'}, pct(v.effectiveness)), h('td', {class: 'num'}, pct(v.quality)), h('td', {class: 'num'}, num(v.gq)), h('td', {class: 'num'}, num(v.sq)), h('td', {class: 'num'}, duration(v.adet_s)));
    fill(
      sessionKpis,
      h(
        'table',
        {class: 'table', id: 'session-kpis'},
        h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {class: 'num'}, 'OEE'), h('th', {class: 'num'}, 'A'), h('th', {class: 'num'}, 'P'), h('th', {class: 'num'}, 'Q'), h('th', {class: 'num'}, 'Good'), h('th', {class: 'num'}, 'Reject'), h('th', {class: 'num'}, 'Down'))),
        h('tbody', {}, (k.lines || []).map((l) => row('Line ' + l.line.split('/').pop(), l.kpis, 'line-row')), (k.machines || []).map((m) => row(m.machine, m.kpis)))
      )
    );
  }

  // ----------------------------------------------------------------- wiring
  buildCards();
  eventLog(logList);
  loadEvents();
  loadSessions();
  const eventsTimer = setInterval(loadEvents, 3000);
  const sessionTimer = setInterval(loadSessionKpis, 5000);
  const updateBadges = throttle(() => badges.forEach((b, id) => setState(b, store.states.get(id)?.state)), 100);
  const offs = [on('machines', buildCards), on('state', updateBadges)];
  return {
    destroy() {
      offs.forEach((off) => off());
      clearInterval(eventsTimer);
      clearInterval(sessionTimer);
      eventLog(null);
    },
  };
}
