// Invoking a gate: a JSON payload, an optional payload label, sync (wait for the result) or
// async (an id, whose page shows the result, the logs, the record and the taint trail).
import * as api from './api.js';
import { h, heading, route, link, errorLine } from './dom.js';
import { parseLabel } from './labels.js';
import { resultView } from './result.js';
import { detailSections, showDetails } from './view-invocation.js';

export async function render(main, params, context) {
  const gatePath = h('input', { id: 'invoke-path', value: params.get('path') ?? '', spellcheck: 'false', autocomplete: 'off', required: true });
  const payload = h('textarea', { id: 'invoke-payload', rows: '8', spellcheck: 'false' });
  payload.value = params.get('payload') ?? '{}';
  const label = h('input', { id: 'invoke-label', placeholder: 'default: your request label', spellcheck: 'false', autocomplete: 'off' });
  const sync = h('input', { type: 'radio', name: 'mode', id: 'mode-sync', value: 'sync', checked: true });
  const async = h('input', { type: 'radio', name: 'mode', id: 'mode-async', value: 'async' });
  const problem = h('div', { class: 'status', id: 'invoke-problem', 'aria-live': 'polite' });
  const output = h('section', { class: 'card', id: 'invoke-output', 'aria-live': 'polite' });
  const details = h('div', { id: 'invoke-details' });
  const form = h('form', { class: 'card', id: 'invoke-form' },
    h('label', { for: 'invoke-path' }, 'Gate path'), gatePath,
    h('label', { for: 'invoke-payload' }, 'Payload (JSON)'), payload,
    h('label', { for: 'invoke-label' }, 'Payload label (optional)'), label,
    h('fieldset', { class: 'mode' }, h('legend', {}, 'Mode'),
      h('label', { class: 'check', for: 'mode-sync' }, sync, ' sync: wait for the result'),
      h('label', { class: 'check', for: 'mode-async' }, async, ' async: get an id, see logs and the trail')),
    h('button', { type: 'submit', id: 'invoke-submit' }, 'Invoke'),
    problem);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problem.replaceChildren();
    let json;
    try { json = JSON.parse(payload.value); } catch (e) { problem.replaceChildren(h('p', { class: 'error', role: 'alert' }, `payload is not JSON: ${e.message}`)); return; }
    const labelText = label.value.trim();
    if (labelText !== '') {
      try { parseLabel(labelText); } catch (e) { problem.replaceChildren(h('p', { class: 'error', role: 'alert' }, `label: ${e.message}`)); return; }
    }
    const body = { path: gatePath.value.trim(), payload: json, sync: sync.checked };
    if (labelText !== '') body.label = labelText;
    output.replaceChildren(h('p', { class: 'hint' }, 'Running…'));
    details.replaceChildren();
    const answer = await api.call('POST', '/invoke', { json: body });
    if (!sync.checked && answer.status === 202 && answer.json?.id) {
      location.hash = route('invocation', { id: answer.json.id });
      return;
    }
    if (!sync.checked && !answer.ok) {
      output.replaceChildren(errorLine(answer));
      return;
    }
    // The gateway names the invocation (Faasten-Invocation), so a sync call shows its logs,
    // record and trail too; a gateway without that header gets the link to recent invocations.
    const id = answer.headers?.get('Faasten-Invocation');
    output.replaceChildren(h('h2', {}, 'Result'), resultView(answer));
    if (id && /^[0-9a-f]{1,128}$/u.test(id)) {
      output.append(h('p', {}, link('invocation', { id }, 'Invocation ', h('code', {}, id))));
      const sections = detailSections();
      details.append(...sections.all);
      await showDetails(sections, id, context);
    } else {
      output.append(h('p', { class: 'hint' }, 'See ', link('invocations', { gate: body.path }, 'this gate\u2019s recent invocations'), '.'));
    }
  });
  main.append(heading('Invoke a gate'), form, output, details);
}
