// The gateway's REST API, with the token the user typed (kept for this browser tab only).

const TOKEN_KEY = 'atelier.token';
const listeners = new Set();

export class ApiError extends Error {
  constructor(status, kind, detail) {
    super(detail || kind || 'HTTP ' + status);
    this.status = status;
    this.kind = kind;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(t) {
  if (t) sessionStorage.setItem(TOKEN_KEY, t.trim());
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** Called with the error whenever the API answers 401: the page then asks for a token. */
export function onUnauthorized(fn) {
  listeners.add(fn);
}

export async function api(path, {method = 'GET', body} = {}) {
  const headers = {accept: 'application/json'};
  const t = token();
  if (t) headers.authorization = 'Bearer ' + t;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let resp;
  try {
    resp = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'network', 'the gateway did not answer (' + e.message + ')');
  }
  let json = null;
  const type = resp.headers.get('content-type') || '';
  if (type.startsWith('application/json')) {
    json = await resp.json().catch(() => null);
  }
  if (!resp.ok) {
    const err = new ApiError(resp.status, json && json.error, json && json.detail);
    if (resp.status === 401) listeners.forEach((fn) => fn(err));
    throw err;
  }
  return json;
}

export const get = (path) => api(path);
export const post = (path, body = {}) => api(path, {method: 'POST', body});
