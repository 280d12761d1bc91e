// The label calculator: does A flow to B (under a privilege), and if not which clause fails;
// A ⊔ B and A ⊓ B. Computed here from the label syntax (labels.js); the server is not asked.
import { h, heading, labelView } from './dom.js';
import { parseLabel, parseComponent, explainFlow, lub, glb, printLabel, TRUE } from './labels.js';

export async function render(main, params) {
  const a = h('input', { id: 'calc-a', value: params.get('a') ?? 'alice,alice', spellcheck: 'false', autocomplete: 'off' });
  const b = h('input', { id: 'calc-b', value: params.get('b') ?? 'T,alice', spellcheck: 'false', autocomplete: 'off' });
  const p = h('input', { id: 'calc-privilege', value: params.get('privilege') ?? '', placeholder: 'none (T)', spellcheck: 'false', autocomplete: 'off' });
  const out = h('div', { id: 'calc-output', 'aria-live': 'polite' });
  const form = h('form', { class: 'card', id: 'calc-form' },
    h('label', { for: 'calc-a' }, 'Label A (from)'), a,
    h('label', { for: 'calc-b' }, 'Label B (to)'), b,
    h('label', { for: 'calc-privilege' }, 'Privilege (optional)'), p);
  const update = () => {
    out.replaceChildren();
    let la, lb, priv;
    try { la = parseLabel(a.value); } catch (e) { out.append(h('p', { class: 'error', role: 'alert' }, `A: ${e.message}`)); return; }
    try { lb = parseLabel(b.value); } catch (e) { out.append(h('p', { class: 'error', role: 'alert' }, `B: ${e.message}`)); return; }
    try { priv = p.value.trim() === '' ? TRUE : parseComponent(p.value); } catch (e) { out.append(h('p', { class: 'error', role: 'alert' }, `privilege: ${e.message}`)); return; }
    const flow = explainFlow(la, lb, priv);
    const verdict = h('section', { class: `card verdict ${flow.flows ? 'verdict-yes' : 'verdict-no'}`, id: 'calc-flow' },
      h('h2', {}, flow.flows ? 'A flows to B' : 'A does not flow to B'),
      flow.flows ? h('p', {}, 'Everyone who may read B may read A, and B vouches for nothing A does not.') : null);
    if (!flow.flows) {
      verdict.append(h('ul', { class: 'failures', id: 'calc-failures' },
        ...flow.failures.map((f) => h('li', { 'data-part': f.part }, h('strong', {}, f.part), `: ${f.text}`))));
    }
    const join = lub(la, lb);
    const meet = glb(la, lb);
    out.append(verdict,
      h('section', { class: 'card', id: 'calc-lub' }, h('h2', {}, 'A ⊔ B (join: both flow to it)'), h('code', { class: 'label-result' }, printLabel(join)), labelView(printLabel(join))),
      h('section', { class: 'card', id: 'calc-glb' }, h('h2', {}, 'A ⊓ B (meet: it flows to both)'), h('code', { class: 'label-result' }, printLabel(meet)), labelView(printLabel(meet))));
  };
  for (const input of [a, b, p]) input.addEventListener('input', update);
  form.addEventListener('submit', (event) => event.preventDefault());
  main.append(heading('Label calculator'), form, out,
    h('p', { class: 'hint' }, 'Syntax: secrecy,integrity; T (true) and F (false); clauses joined by & (and) of principals joined by | (or); alice/pma is a sub-principal of alice.'));
  update();
}
