// Building the page from data without ever parsing data as markup: every name, content, result
// and log goes in through createElement and textContent (the CSP's Trusted Types would refuse
// an HTML string anyway).
import { parseLabel, printClause, isTrue } from './labels.js';

// For reading, a principal's tokens as they are (only / and \\ escaped, so the hierarchy stays
// unambiguous); the exact label text is shown beside it.
const showPrincipal = (p) => p.map((t) => t.replace(/[\\/]/gu, (c) => '\\' + c)).join('/');

/** h('a', {href, class}, child...) — children are nodes or strings (text). */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') element.className = value;
    else if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else if (key === 'value') element.value = value;
    else if (key === 'checked') element.checked = Boolean(value);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(element, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function clear(element) {
  element.replaceChildren();
  return element;
}

/** The hash route of a page: #/name?k=v. */
export function route(name, params = {}) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null) query.set(k, v);
  }
  const text = query.toString();
  return `#/${name}${text ? '?' + text : ''}`;
}

export const link = (name, params, ...children) => h('a', { href: route(name, params) }, ...children);

export function withheld(what = 'This answer') {
  return h('p', { class: 'withheld', role: 'status' },
    h('span', { class: 'badge badge-withheld' }, 'withheld'),
    ` ${what} depends on data your label does not let you read; nothing of it is shown.`);
}

export function errorLine(answer) {
  if (answer.withheld) return withheld();
  const code = answer.code ? ` (${answer.code})` : '';
  return h('p', { class: 'error', role: 'alert' }, `HTTP ${answer.status}${code}: ${answer.error ?? 'unexpected answer'}`);
}

function principalList(component, joiner) {
  return component.clauses.map((clause, i) => {
    const names = clause.map((p) => h('span', { class: 'principal' }, showPrincipal(p)));
    const parts = [];
    names.forEach((n, j) => { if (j > 0) parts.push(h('span', { class: 'op' }, ' or ')); parts.push(n); });
    const group = h('span', { class: 'clause', title: printClause(clause) }, ...parts);
    return i === 0 ? [group] : [h('span', { class: 'op' }, joiner), group];
  }).flat();
}

/**
 * A label as a person reads it: who may read (secrecy) and who vouched (integrity), side by
 * side, principals named, public and unendorsed marked; the exact text underneath.
 */
export function labelView(text, { compact = false } = {}) {
  if (text === null || text === undefined) {
    return h('span', { class: 'label label-none' }, 'no label (faceted: each facet has its own)');
  }
  let label;
  try {
    label = parseLabel(text);
  } catch {
    return h('span', { class: 'label' }, h('code', {}, text));
  }
  const secrecy = label.secrecy.f
    ? [h('span', { class: 'badge badge-secret', title: 'F: the most secret label' }, 'nobody')]
    : isTrue(label.secrecy)
      ? [h('span', { class: 'badge badge-public' }, 'public')]
      : principalList(label.secrecy, ' and ');
  const integrity = label.integrity.f
    ? [h('span', { class: 'badge badge-trusted', title: 'F: the most trusted integrity' }, 'everyone')]
    : isTrue(label.integrity)
      ? [h('span', { class: 'badge badge-unvouched' }, 'nobody')]
      : principalList(label.integrity, ' and ');
  return h('span', { class: compact ? 'label label-compact' : 'label', 'data-label': text },
    h('span', { class: 'label-part label-secrecy' }, h('span', { class: 'label-key' }, label.secrecy.f || isTrue(label.secrecy) ? 'read by ' : 'readers need '), ...secrecy),
    h('span', { class: 'label-part label-integrity' }, h('span', { class: 'label-key' }, 'vouched by '), ...integrity),
    compact ? null : h('code', { class: 'label-text' }, text));
}

/** A key/value description list from plain fields (values shown as text). */
export function fields(pairs) {
  const list = h('dl', { class: 'fields' });
  for (const [key, value] of pairs) {
    if (value === undefined) continue;
    list.append(h('dt', {}, key), h('dd', {}, value instanceof Node ? value : String(value ?? '—')));
  }
  return list;
}

export function heading(text, ...extra) {
  return h('h1', { tabindex: '-1', class: 'page-title' }, text, ...extra);
}
