// The public HTTP API with the signed-in user's bearer token, and nothing else: the console has
// no private endpoint and no server-side shortcut, so the monitor holds it to what fstn may do.
import { fromHeader } from './labels.js';

const KEY = 'faasten.token';

/** The token: for this tab's session, or kept in localStorage when the user chose "remember". */
export function token() {
  return sessionStorage.getItem(KEY) ?? localStorage.getItem(KEY);
}

export function remember(value, persistent) {
  forget();
  (persistent ? localStorage : sessionStorage).setItem(KEY, value);
}

export function forget() {
  sessionStorage.removeItem(KEY);
  localStorage.removeItem(KEY);
}

/** One answer: status, the released label, the parsed body; withheld answers carry nothing. */
export class Answer {
  constructor(response, bytes) {
    this.status = response.status;
    this.ok = response.ok;
    this.headers = response.headers;
    this.label = fromHeader(response.headers.get('Faasten-Label'));
    this.bytes = bytes;
    this.json = null;
    const type = response.headers.get('Content-Type') ?? '';
    if (type.includes('json') && bytes.byteLength > 0) {
      try { this.json = JSON.parse(new TextDecoder().decode(bytes)); } catch { this.json = null; }
    }
    this.code = !this.ok && this.json && typeof this.json.code === 'string' ? this.json.code : null;
    this.error = !this.ok && this.json && typeof this.json.error === 'string' ? this.json.error : null;
    this.withheld = this.code === 'withheld';
    if (this.withheld) {
      this.bytes = new ArrayBuffer(0);
      this.json = null;
      this.label = null;
    }
  }

  get text() {
    return new TextDecoder('utf-8', { fatal: false }).decode(this.bytes);
  }
}

let onUnauthorized = () => {};
export function whenUnauthorized(handler) { onUnauthorized = handler; }

export function query(params) {
  return Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

/**
 * call('GET', '/fs/list', {query: {path}}) — json: a body to send as JSON; body: raw bytes;
 * headersOnly: stop after the headers (a blob's size without its content).
 */
export async function call(method, route, options = {}) {
  const headers = new Headers(options.headers ?? {});
  const current = token();
  if (current) headers.set('Authorization', `Bearer ${current}`);
  let body = options.body;
  if (options.json !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(options.json);
  }
  const url = options.query ? `${route}?${query(options.query)}` : route;
  const abort = new AbortController();
  let response;
  try {
    response = await fetch(url, { method, headers, body, signal: abort.signal, credentials: 'omit', cache: 'no-store' });
  } catch (e) {
    return { status: 0, ok: false, error: `the gateway did not answer (${e.message})`, code: 'network', withheld: false, label: null, json: null, headers: new Headers() };
  }
  if (response.status === 401 && current) onUnauthorized();
  let bytes;
  if (options.headersOnly && response.ok) {
    abort.abort();
    bytes = new ArrayBuffer(0);
  } else {
    bytes = await response.arrayBuffer();
  }
  return new Answer(response, bytes);
}
