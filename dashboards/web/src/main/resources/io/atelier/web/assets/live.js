// The live feed (WebSocket /api/live): authenticate in-band when a token is set, subscribe to every
// machine and line, apply updates to the store, reconnect with backoff when the connection drops.

import {token} from './api.js';
import {store, setLive, applySignals, applyState, applyKpis, lines, emit} from './store.js';

const MAX_BACKOFF_MS = 30000;
let ws = null;
let backoff = 1000;
let retryTimer = null;
let stopped = false;

export function connect() {
  stopped = false;
  clearTimeout(retryTimer);
  if (ws) {
    ws.onclose = null;
    ws.close();
  }
  setLive('connecting');
  // Relative to the page, so the dashboard also works behind a reverse proxy under a sub-path.
  const url = new URL('api/live', location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.hash = '';
  const socket = new WebSocket(url);
  ws = socket;
  socket.onopen = () => {
    if (token()) socket.send(JSON.stringify({type: 'auth', token: token()}));
  };
  socket.onmessage = (e) => {
    let msg;
    try {
      msg = JSON.parse(e.data);
    } catch {
      return;
    }
    handle(socket, msg);
  };
  socket.onclose = (e) => {
    if (ws !== socket) return;
    ws = null;
    if (e.code === 1008) {
      // Policy: no or a wrong token. Retrying cannot help until the user gives another one.
      setLive('unauthorized');
      emit('auth-required', e.reason || 'the live feed needs a token');
      return;
    }
    if (stopped) return;
    setLive('offline');
    retryTimer = setTimeout(connect, backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  };
}

/** Subscribes again (after machines were added or removed). */
export function resubscribe() {
  if (ws && ws.readyState === WebSocket.OPEN && store.live === 'live') subscribe(ws);
}

function subscribe(socket) {
  socket.send(
    JSON.stringify({
      type: 'subscribe',
      machines: store.machines.map((m) => m.id),
      lines: lines().map((l) => l.path),
    })
  );
}

function handle(socket, msg) {
  switch (msg.type) {
    case 'hello':
      backoff = 1000;
      setLive('live');
      subscribe(socket);
      break;
    case 'update':
      if (msg.signals) applySignals(msg.signals);
      if (msg.states) {
        for (const s of msg.states) applyState(s.machine, s.state);
      }
      if (msg.kpis) {
        for (const k of msg.kpis) applyKpis(k.machine || k.line, k.window || '', k.kpis);
        emit('kpis');
      }
      break;
    case 'error':
      console.warn('live feed:', msg.error, msg.detail);
      break;
    default:
      break;
  }
}
