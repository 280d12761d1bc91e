// One object that is not a directory: a file's text, a blob's size, hash, download and (for
// images) a preview, a gate's description and the way to invoke it; services and triggers by
// kind and label. Content is always text or bytes, never markup.
import * as api from './api.js';
import { h, route, link, fields, labelView, withheld, errorLine } from './dom.js';
import { splitPath } from './paths.js';

const PREVIEW_BYTES = 4 * 1024 * 1024;

function baseName(path) {
  const parts = splitPath(path);
  return parts.length ? parts[parts.length - 1] : 'download';
}

/** Saves bytes as a download: a blob: URL the user's browser saves, revoked right after. */
export function download(bytes, name) {
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  const anchor = h('a', { href: url, download: name, class: 'hidden' });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function imageType(bytes) {
  const b = new Uint8Array(bytes.slice(0, 8));
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png';
  if (b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return 'image/gif';
  return null; // never SVG or anything else a browser might run
}

export async function render(main, path, kind, _label, context) {
  if (kind === 'file') return file(main, path, context);
  if (kind === 'blob') return blob(main, path, context);
  if (kind === 'gate' || kind === 'redirect_gate') return gate(main, path, kind, context);
  if (kind === 'service') return service(main, path, context);
  main.append(h('section', { class: 'card' }, h('p', { class: 'hint' },
    `A ${kind.replace('_', ' ')}: its kind and label are shown above; the API has no route that shows more of it.`)));
  return undefined;
}

async function file(main, path, context) {
  const section = h('section', { class: 'card', 'aria-label': 'Content' }, h('h2', {}, 'Content'));
  main.append(section);
  const answer = await api.call('GET', '/fs/file', { query: { path } });
  if (!context.isCurrent()) return;
  if (!answer.ok) {
    section.append(errorLine(answer));
    return;
  }
  const bytes = answer.bytes;
  let text = null;
  try { text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch { text = null; }
  section.append(
    h('p', { class: 'hint' }, `${bytes.byteLength} bytes`, answer.label ? ' · released at ' : '', answer.label ? h('code', {}, answer.label) : ''),
    text === null ? h('p', { class: 'hint' }, 'Not UTF-8 text: download it to see it.') : h('pre', { class: 'content', id: 'file-content' }, text),
    h('button', { type: 'button', id: 'download', onclick: () => download(bytes, baseName(path)) }, 'Download'));
}

async function blob(main, path, context) {
  const section = h('section', { class: 'card', 'aria-label': 'Blob' }, h('h2', {}, 'Blob'));
  main.append(section);
  // Headers first: size and hash without reading what may be a gigabyte.
  const head = await api.call('GET', '/fs/blob', { query: { path }, headersOnly: true });
  if (!context.isCurrent()) return;
  if (!head.ok) {
    section.append(errorLine(head));
    return;
  }
  const size = Number(head.headers.get('Content-Length') ?? NaN);
  section.append(fields([
    ['size', Number.isFinite(size) ? `${size.toLocaleString('en')} bytes` : 'unknown'],
    ['sha-256', h('code', { class: 'hash' }, head.headers.get('Faasten-Blob') ?? '—')],
  ]));
  const status = h('div', { class: 'status', 'aria-live': 'polite' });
  const fetchAll = async () => {
    const answer = await api.call('GET', '/fs/blob', { query: { path } });
    if (!answer.ok) { status.replaceChildren(errorLine(answer)); return null; }
    return answer.bytes;
  };
  section.append(h('button', {
    type: 'button', id: 'download', onclick: async () => {
      const bytes = await fetchAll();
      if (bytes) download(bytes, baseName(path));
    },
  }, 'Download'), status);
  if (Number.isFinite(size) && size <= PREVIEW_BYTES) {
    const bytes = await fetchAll();
    if (!context.isCurrent() || !bytes) return;
    const type = imageType(bytes);
    if (type) {
      const url = URL.createObjectURL(new Blob([bytes], { type }));
      const image = h('img', { class: 'preview', id: 'preview', alt: `preview of ${baseName(path)}`, src: url });
      image.addEventListener('load', () => URL.revokeObjectURL(url), { once: true });
      section.append(h('figure', {}, image));
    }
  }
}

async function gate(main, path, kind, context) {
  const section = h('section', { class: 'card', 'aria-label': 'Gate' }, h('h2', {}, 'Gate'),
    h('p', { class: 'actions' },
      h('a', { class: 'button', id: 'invoke-gate', href: route('invoke', { path }) }, 'Invoke…'),
      ' ', link('invocations', { gate: path }, 'Recent invocations')));
  main.append(section);
  // The description (privilege, clearance, declassify, memory, timeout, runtime) where the
  // gateway offers one (GET /gates); a gateway that only stats gates says so plainly.
  await describe(section, '/gates', path, `this ${kind === 'gate' ? 'gate' : 'redirect gate'}`, context);
}

async function service(main, path, context) {
  const section = h('section', { class: 'card', 'aria-label': 'Service' }, h('h2', {}, 'Service'));
  main.append(section);
  await describe(section, '/fs/service', path, 'this service', context);
}

const UNITS = { memory: ' MB', timeout: ' ms' };

/** Shows what GET route?path= answers, field by field, labels drawn as labels; all as text. */
async function describe(section, route, path, what, context) {
  const answer = await api.call('GET', route, { query: { path } });
  if (!context.isCurrent()) return;
  if (answer.withheld) {
    section.append(withheld(`The description of ${what}`));
    return;
  }
  if (!answer.ok || !answer.json || typeof answer.json !== 'object') {
    section.append(h('p', { class: 'hint', id: 'details-unavailable' }, `The details of ${what} are not available from this gateway.`));
    return;
  }
  const pairs = [];
  for (const [key, value] of Object.entries(answer.json)) {
    if (value === null || key === 'path') continue;
    if (key === 'label') pairs.push([key, labelView(String(value))]);
    else if (['privilege', 'clearance', 'declassify', 'taint'].includes(key)) pairs.push([key, h('code', { class: 'component' }, String(value))]);
    else if (Array.isArray(value)) pairs.push([key, value.length === 0 ? '—' : value.map(String).join(', ')]);
    else if (typeof value === 'object') pairs.push([key, Object.entries(value).map(([k, v]) => `${k}=${v}`).join(', ') || '—']);
    else pairs.push([key, `${value}${UNITS[key] ?? ''}`]);
  }
  const list = fields(pairs);
  list.id = 'details';
  section.append(list);
}
