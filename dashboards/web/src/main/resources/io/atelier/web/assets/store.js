// What the dashboard knows: machines, their live states, signals and KPIs, and the short history
// kept in memory for charts (the gateway keeps no history without InfluxDB). One store for every
// page, so a page opened later still shows what happened since the dashboard was loaded.

const HISTORY_POINTS = 1440; // 2 hours of KPI reports every 5 s
const TIMELINE_MS = 60 * 60 * 1000;

const topics = new Map();

export const store = {
  me: null,
  machines: [],
  machineById: new Map(),
  windows: ['15m', '1h', '8h', 'shift'],
  window: localStorage.getItem('atelier.window') || '15m',
  states: new Map(), // machine -> {state, since (ms), reason}
  signals: new Map(), // machine -> Map(signal -> {value, quality, time (ms)})
  kpis: new Map(), // window|subject -> kpis
  history: new Map(), // window|subject -> {t: [s], oee: [], availability: [], ...}
  timeline: new Map(), // machine -> [{state, from (ms)}]
  live: 'connecting',
};

export function on(topic, fn) {
  if (!topics.has(topic)) topics.set(topic, new Set());
  topics.get(topic).add(fn);
  return () => topics.get(topic).delete(fn);
}

export function emit(topic, detail) {
  (topics.get(topic) || []).forEach((fn) => {
    try {
      fn(detail);
    } catch (e) {
      console.error('listener of', topic, 'failed', e);
    }
  });
}

export function setMachines(list) {
  store.machines = list;
  store.machineById = new Map(list.map((m) => [m.id, m]));
  emit('machines');
}

/** Lines as {path, name, machines}, in the order their first machine appears. */
export function lines() {
  const out = new Map();
  for (const m of store.machines) {
    const path = m.site + '/' + m.area + '/' + m.line;
    if (!out.has(path)) out.set(path, {path, name: m.line, machines: []});
    out.get(path).machines.push(m);
  }
  return [...out.values()];
}

export function setWindow(w) {
  store.window = w;
  localStorage.setItem('atelier.window', w);
  emit('window');
}

export function setLive(status) {
  store.live = status;
  emit('live', status);
}

export function applyState(machine, s) {
  if (!s || !s.state) return;
  const since = Date.parse(s.since) || Date.now();
  const prev = store.states.get(machine);
  store.states.set(machine, {state: s.state, since, reason: s.reason || ''});
  const segments = store.timeline.get(machine) || [];
  const last = segments[segments.length - 1];
  if (!last || last.state !== s.state) {
    segments.push({state: s.state, from: last ? Math.max(since, last.from) : since});
  }
  const cut = Date.now() - TIMELINE_MS;
  while (segments.length > 1 && segments[1].from <= cut) segments.shift();
  store.timeline.set(machine, segments);
  emit('state', {machine, state: s.state, previous: prev && prev.state, reason: s.reason || ''});
}

export function applySignals(list) {
  const touched = new Set();
  for (const s of list) {
    let m = store.signals.get(s.machine);
    if (!m) store.signals.set(s.machine, (m = new Map()));
    m.set(s.signal, {
      value: s.value,
      quality: s.quality,
      time: Date.parse(s.sourceTime) || Date.now(),
    });
    touched.add(s.machine);
  }
  emit('signals', touched);
}

const HISTORY_KEYS = ['oee', 'availability', 'effectiveness', 'quality', 'throughput_per_h'];

/** A KPI report for a machine or a line (subject) over a window. */
export function applyKpis(subject, window, kpis) {
  const key = window + '|' + subject;
  store.kpis.set(key, kpis);
  let hist = store.history.get(key);
  if (!hist) {
    hist = {t: []};
    HISTORY_KEYS.forEach((k) => (hist[k] = []));
    store.history.set(key, hist);
  }
  const t = (Date.parse(kpis.to) || Date.now()) / 1000;
  const last = hist.t[hist.t.length - 1];
  if (last !== undefined && t <= last) return; // the same report twice (REST and live)
  hist.t.push(t);
  HISTORY_KEYS.forEach((k) => hist[k].push(typeof kpis[k] === 'number' ? kpis[k] : null));
  if (hist.t.length > HISTORY_POINTS) {
    Object.values(hist).forEach((a) => a.shift());
  }
}

export function kpisOf(subject, window = store.window) {
  return store.kpis.get(window + '|' + subject);
}

export function historyOf(subject, window = store.window) {
  return store.history.get(window + '|' + subject);
}

export function canOperate() {
  return !!store.me && (store.me.role === 'operator' || store.me.role === 'admin');
}

export function seesAll() {
  return !!store.me && store.me.scope && store.me.scope.all;
}
