// Small DOM and formatting helpers. Text always goes in through textContent, never innerHTML:
// machine names, reasons and errors come from configuration files and devices.

/** h('div', {class: 'tile', dataset: {machine: 'cnc-01'}, onclick: fn}, 'text', child, ...) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Sets text only when it changed (keeps the DOM quiet for screen readers and tests). */
export function text(el, value) {
  const s = String(value);
  if (el.textContent !== s) el.textContent = s;
}

export function pct(v, digits = 1) {
  return typeof v === 'number' && isFinite(v) ? (v * 100).toFixed(digits) + ' %' : '–';
}

export function num(v, digits = 0) {
  if (typeof v !== 'number' || !isFinite(v)) return '–';
  return v.toLocaleString('en-GB', {maximumFractionDigits: digits, minimumFractionDigits: 0});
}

/** A signal value for the table: numbers rounded, booleans and strings as they are. */
export function value(v) {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return v.toLocaleString('en-GB');
    return v.toLocaleString('en-GB', {maximumFractionDigits: 3});
  }
  if (typeof v === 'string' && v === '') return '""';
  return String(v);
}

/** 75 -> "1 min 15 s"; for times in the KPI reports and ages. */
export function duration(seconds) {
  if (typeof seconds !== 'number' || !isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
}

export function clock(ms) {
  if (!ms) return '–';
  return new Date(ms).toLocaleTimeString('en-GB', {hour12: false});
}

export const STATES = ['PRODUCING', 'SETUP', 'IDLE', 'DOWN', 'PLANNED_STOP', 'OFFLINE'];

/** The state colours of the CSS, for the charts (canvas cannot read CSS classes). */
export const STATE_COLOURS = {
  PRODUCING: '#22c55e',
  SETUP: '#3b82f6',
  IDLE: '#f59e0b',
  DOWN: '#ef4444',
  PLANNED_STOP: '#9ca3af',
  OFFLINE: '#1f2937',
  UNKNOWN: '#475569',
};

export function stateLabel(state) {
  return state ? state.replace('_', ' ') : 'NO DATA';
}

/** A badge showing a machine state; update it with setState(badge, state). */
export function stateBadge(state) {
  const b = h('span', {class: 'state'});
  setState(b, state);
  return b;
}

export function setState(badge, state) {
  const s = state || 'UNKNOWN';
  if (badge.dataset.state !== s) {
    badge.dataset.state = s;
    badge.className = 'state state-' + s;
    badge.textContent = stateLabel(state);
  }
}

/** Calls fn at most every `ms` milliseconds, trailing call included. */
export function throttle(fn, ms) {
  let timer = null;
  let pending = false;
  return () => {
    if (timer) {
      pending = true;
      return;
    }
    fn();
    timer = setTimeout(function tick() {
      if (pending) {
        pending = false;
        fn();
        timer = setTimeout(tick, ms);
      } else {
        timer = null;
      }
    }, ms);
  };
}

export const WINDOW_LABELS = {'15m': '15 min', '1h': '1 hour', '8h': '8 hours', shift: 'Shift'};

export function windowLabel(w) {
  if (w.startsWith('session:')) return 'Session';
  return WINDOW_LABELS[w] || w;
}
