// Drawing an invocation's answer: the result (JSON as text) with its label, or the error, or
// withheld with nothing of it.
import { h, labelView, withheld } from './dom.js';

export function resultView(answer) {
  if (answer.withheld) return h('div', { class: 'result', id: 'result' }, withheld('The result'));
  const body = answer.json !== null ? JSON.stringify(answer.json, null, 2) : answer.text;
  if (answer.ok) {
    return h('div', { class: 'result result-ok', id: 'result' },
      h('p', {}, h('span', { class: 'badge badge-ok' }, 'ok'), ' released at'),
      labelView(answer.label),
      h('pre', { class: 'content', id: 'result-body' }, body));
  }
  return h('div', { class: 'result result-error', id: 'result' },
    h('p', {}, h('span', { class: 'badge badge-error' }, answer.code ?? `HTTP ${answer.status}`), ` HTTP ${answer.status}`),
    answer.label ? labelView(answer.label) : null,
    h('pre', { class: 'content', id: 'result-body' }, answer.error ?? answer.text));
}
