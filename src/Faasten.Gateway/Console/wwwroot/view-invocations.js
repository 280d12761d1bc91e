// Recent invocations, newest first, optionally of one gate (GET /invocations?gate=&limit=&cursor=).
// Records the caller may not read are skipped by the server and not counted.
import * as api from './api.js';
import { h, heading, route, link, labelView, errorLine } from './dom.js';

const PAGE = 20;

export async function render(main, params, context) {
  const gate = params.get('gate') ?? '';
  const cursor = params.get('cursor');
  const input = h('input', { id: 'invocations-gate', value: gate, placeholder: 'every gate', spellcheck: 'false', autocomplete: 'off' });
  const form = h('form', { class: 'goto', role: 'search' }, h('label', { for: 'invocations-gate' }, 'Gate'), input, h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = route('invocations', { gate: input.value.trim() || undefined });
  });
  const section = h('section', { class: 'card', id: 'invocations', 'aria-label': 'Invocations' });
  main.append(heading('Recent invocations'), form, section);
  const answer = await api.call('GET', '/invocations', { query: { gate: gate || undefined, limit: PAGE, cursor: cursor ?? undefined } });
  if (!context.isCurrent()) return;
  if (answer.status === 404 || answer.status === 405) {
    section.append(h('p', { class: 'hint not-available' }, 'Invocation records: not available from this gateway.'));
    return;
  }
  if (!answer.ok || !answer.json) {
    section.append(errorLine(answer));
    return;
  }
  const records = Array.isArray(answer.json.invocations) ? answer.json.invocations : [];
  if (records.length === 0) section.append(h('p', { class: 'hint' }, 'No invocation you may see.'));
  const list = h('ul', { class: 'entries invocations' });
  for (const r of records) {
    list.append(h('li', { class: 'entry', 'data-id': String(r.id) },
      h('span', { class: `badge badge-${r.status === 'ok' ? 'ok' : 'error'}` }, String(r.status ?? '')),
      h('a', { class: 'entry-name', href: route('invocation', { id: String(r.id) }) }, h('code', {}, String(r.gate ?? r.id))),
      h('span', { class: 'hint' }, String(r.queued ?? '')),
      h('span', { class: 'entry-label' }, labelView(r.label, { compact: true }))));
  }
  section.append(list);
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
  if (cursor) pager.append(link('invocations', { gate: gate || undefined }, 'Newest'));
  if (answer.json.next) pager.append(h('a', { id: 'next-page', href: route('invocations', { gate: gate || undefined, cursor: answer.json.next }) }, 'Older'));
  section.append(pager);
}
