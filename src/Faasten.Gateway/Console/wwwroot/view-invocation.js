// One invocation: its result (polled while pending), its logs, its record and the taint trail
// drawn as the steps that raised its label. Each is released under rule 7 by the server; a
// record or log the caller may not read answers 404 exactly like a missing one, shown as
// "not available" — a gateway without these routes looks the same.
import * as api from './api.js';
import { h, append, heading, fields, labelView } from './dom.js';
import { resultView } from './result.js';
import { parseLabel, printComponent, implies } from './labels.js';

const POLL_MS = 250;
const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

async function poll(route, context) {
  for (;;) {
    const answer = await api.call('GET', route);
    if (answer.status !== 202 || !context.isCurrent()) return answer;
    await sleep(POLL_MS);
  }
}

const notAvailable = (what) => h('p', { class: 'hint not-available' }, `${what}: not available (unknown, expired, withheld from you, or not offered by this gateway).`);

export async function render(main, params, context) {
  const id = params.get('id') ?? '';
  main.append(heading('Invocation ', h('code', { class: 'id' }, id)));
  const result = h('section', { class: 'card', id: 'invocation-result', 'aria-label': 'Result' }, h('h2', {}, 'Result'), h('p', { class: 'hint' }, 'Waiting for the result…'));
  main.append(result);
  const sections = detailSections();
  main.append(...sections.all);
  const answer = await poll(`/invocations/${encodeURIComponent(id)}`, context);
  if (!context.isCurrent()) return;
  result.replaceChildren(h('h2', {}, 'Result'), resultView(answer));
  await showDetails(sections, id, context);
}

/** The trail, logs and record sections of one invocation, empty until showDetails fills them. */
export function detailSections() {
  const record = h('section', { class: 'card', id: 'invocation-record', 'aria-label': 'Record' }, h('h2', {}, 'Record'));
  const trail = h('section', { class: 'card', id: 'invocation-trail', 'aria-label': 'Taint trail' }, h('h2', {}, 'Taint trail'),
    h('p', { class: 'hint' }, 'Each step that raised the label, with the label after it.'));
  const logs = h('section', { class: 'card', id: 'invocation-logs', 'aria-label': 'Logs' }, h('h2', {}, 'Logs'));
  return { record, trail, logs, all: [trail, logs, record] };
}

/** Fetches the logs and the record (with its trail) of a finished invocation into its sections. */
export async function showDetails({ record, trail, logs }, id, context) {
  const [logAnswer, recordAnswer] = await Promise.all([
    poll(`/invocations/${encodeURIComponent(id)}/logs`, context),
    api.call('GET', `/invocations/${encodeURIComponent(id)}/record`),
  ]);
  if (!context.isCurrent()) return;
  if (logAnswer.ok && logAnswer.json) {
    const { logs: text, truncated, label } = logAnswer.json;
    append(logs, [labelView(label ?? logAnswer.label),
      h('pre', { class: 'content logs', id: 'logs-text' }, text === '' ? '(nothing written)' : String(text)),
      truncated ? h('p', { class: 'hint', id: 'logs-truncated' }, 'Truncated: the function wrote more than is kept.') : null]);
  } else {
    logs.append(notAvailable('Logs'));
  }
  if (recordAnswer.ok && recordAnswer.json) {
    drawRecord(record, recordAnswer.json);
    drawTrail(trail, recordAnswer.json.trail);
  } else {
    record.append(notAvailable('The record'));
    trail.append(notAvailable('The taint trail'));
  }
}

export function recordFields(r) {
  return fields([
    ['gate', h('code', {}, String(r.gate ?? ''))],
    ['status', h('span', { class: `badge badge-${r.status === 'ok' ? 'ok' : 'error'}` }, String(r.status ?? ''))],
    ['label', labelView(r.label)],
    ['queued', r.queued ?? '—'],
    ['started', r.started ?? '—'],
    ['finished', r.finished ?? '—'],
    ['start', r.cold === true ? 'cold' : r.cold === false ? 'warm' : '—'],
    ['vm', r.vm ?? '—'],
    ['worker', r.worker ?? '—'],
  ]);
}

function drawRecord(section, r) {
  section.append(recordFields(r));
}

/** What each step added: the parts of the label after it that the label before did not have. */
function raised(before, after) {
  try {
    const a = parseLabel(before);
    const b = parseLabel(after);
    const notes = [];
    if (!implies(a.secrecy, b.secrecy)) notes.push(`secrecy now ${printComponent(b.secrecy)}`);
    if (!implies(a.integrity, b.integrity)) notes.push(`integrity now ${printComponent(b.integrity)}`);
    return notes.join('; ');
  } catch {
    return '';
  }
}

function drawTrail(section, steps) {
  if (!Array.isArray(steps) || steps.length === 0) {
    section.append(h('p', { class: 'hint', id: 'trail-empty' }, 'No step raised the label: it stayed where the request started.'));
    return;
  }
  const list = h('ol', { class: 'trail', id: 'trail' });
  let previous = null;
  for (const step of steps) {
    const change = previous === null ? '' : raised(previous, step.label);
    list.append(h('li', { class: 'trail-step' },
      h('span', { class: 'trail-what' }, String(step.what ?? '')),
      change ? h('span', { class: 'trail-change' }, change) : null,
      labelView(step.label, { compact: true })));
    previous = step.label;
  }
  section.append(list);
}
