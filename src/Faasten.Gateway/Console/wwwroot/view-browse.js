// Browsing the file system: any path, each entry with its kind and label; directories page
// through GET /fs/list, faceted directories list their facets; files, blobs, gates and the other
// kinds open in view-object.js. Creating (upload a blob, write a file, make a directory) is here.
import * as api from './api.js';
import { h, heading, route, link, labelView, withheld, errorLine } from './dom.js';
import { splitPath, joinPath, child, facet, nameProblem } from './paths.js';
import { parseLabel } from './labels.js';
import * as objectView from './view-object.js';

const PAGE = 50;

export const kindNames = {
  directory: 'directory',
  faceted_directory: 'faceted directory',
  file: 'file',
  blob: 'blob',
  gate: 'gate',
  redirect_gate: 'redirect gate',
  service: 'service',
  trigger: 'trigger',
  schedule: 'schedule',
};

export const kindName = (kind) => kindNames[kind] ?? String(kind);

function breadcrumbs(path) {
  const parts = splitPath(path);
  const nav = h('nav', { class: 'crumbs', 'aria-label': 'Path' }, link('fs', { path: '' }, 'root'));
  parts.forEach((part, i) => {
    nav.append(h('span', { class: 'sep' }, ':'), link('fs', { path: joinPath(parts.slice(0, i + 1)) }, part));
  });
  return nav;
}

function goTo(path) {
  const input = h('input', { id: 'goto-path', name: 'path', value: path, spellcheck: 'false', autocomplete: 'off', 'aria-label': 'Path' });
  const form = h('form', { class: 'goto', role: 'search' }, input, h('button', { type: 'submit' }, 'Open'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = route('fs', { path: input.value.trim() });
  });
  return form;
}

/** Runs tasks with at most `width` in flight (stat per entry without a burst of requests). */
async function limited(items, width, task) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

export async function render(main, params, context) {
  const path = params.get('path') ?? '~';
  main.append(heading('Files'), goTo(path), breadcrumbs(path));
  const stat = await api.call('GET', '/fs/stat', { query: { path } });
  if (!context.isCurrent()) return;
  if (stat.withheld) {
    main.append(withheld('What is at this path'));
    return;
  }
  if (!stat.ok) {
    main.append(errorLine(stat));
    return;
  }
  const { kind, label } = stat.json;
  main.append(h('section', { class: 'card object-head', 'aria-label': 'This object' },
    h('div', { class: 'kind-line' }, h('span', { class: `kind kind-${kind}` }, kindName(kind)), h('code', { class: 'path' }, path === '' ? ':' : path)),
    labelView(label)));
  if (kind === 'directory') {
    await directory(main, path, params.get('cursor'), context);
  } else if (kind === 'faceted_directory') {
    await faceted(main, path, params.get('cursor'), context);
  } else {
    await objectView.render(main, path, kind, label, context);
  }
}

async function directory(main, path, cursor, context) {
  const section = h('section', { class: 'card', 'aria-label': 'Entries' }, h('h2', {}, 'Entries'));
  main.append(section);
  const answer = await api.call('GET', '/fs/list', { query: { path, limit: PAGE, cursor: cursor ?? undefined } });
  if (!context.isCurrent()) return;
  if (!answer.ok) {
    section.append(errorLine(answer));
    return;
  }
  const entries = answer.json.entries ?? [];
  if (entries.length === 0) section.append(h('p', { class: 'hint' }, cursor ? 'No more entries.' : 'This directory is empty.'));
  const list = h('ul', { class: 'entries', id: 'entries' });
  section.append(list);
  const rows = entries.map((entry) => {
    const labelCell = h('span', { class: 'entry-label' }, h('span', { class: 'hint' }, '…'));
    const row = h('li', { class: 'entry', 'data-name': entry.name, 'data-kind': entry.kind },
      h('span', { class: `kind kind-${entry.kind}` }, kindName(entry.kind)),
      h('a', { class: 'entry-name', href: route('fs', { path: child(path, entry.name) }) }, entry.name),
      labelCell);
    list.append(row);
    return labelCell;
  });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
  if (cursor) pager.append(link('fs', { path }, 'First page'));
  if (answer.json.next) pager.append(h('a', { href: route('fs', { path, cursor: answer.json.next }), id: 'next-page' }, 'Next page'));
  section.append(pager);
  main.append(createForms(path, context));
  // Each entry's label: one stat each, a few at a time.
  await limited(entries, 6, async (entry, i) => {
    const entryStat = await api.call('GET', '/fs/stat', { query: { path: child(path, entry.name) } });
    if (!context.isCurrent()) return;
    rows[i].replaceChildren(entryStat.withheld
      ? h('span', { class: 'badge badge-withheld' }, 'withheld')
      : entryStat.ok ? labelView(entryStat.json.label, { compact: true }) : h('span', { class: 'error' }, entryStat.code ?? String(entryStat.status)));
  });
}

async function faceted(main, path, cursor, context) {
  const section = h('section', { class: 'card', 'aria-label': 'Facets' }, h('h2', {}, 'Facets you may read'));
  main.append(section);
  const answer = await api.call('GET', '/fs/facets', { query: { path, limit: PAGE, cursor: cursor ?? undefined } });
  if (!context.isCurrent()) return;
  if (!answer.ok) {
    section.append(errorLine(answer));
    return;
  }
  const list = h('ul', { class: 'entries', id: 'facets' });
  for (const label of answer.json.facets ?? []) {
    list.append(h('li', { class: 'entry', 'data-facet': label },
      h('span', { class: 'kind kind-directory' }, 'facet'),
      h('a', { class: 'entry-name', href: route('fs', { path: facet(path, label) }) }, `<${label}>`),
      h('span', { class: 'entry-label' }, labelView(label, { compact: true }))));
  }
  if ((answer.json.facets ?? []).length === 0) section.append(h('p', { class: 'hint' }, 'No stored facet you may read.'));
  section.append(list);
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
  if (cursor) pager.append(link('fs', { path }, 'First page'));
  if (answer.json.next) pager.append(h('a', { href: route('fs', { path, cursor: answer.json.next }), id: 'next-page' }, 'Next page'));
  section.append(pager);
  // Any facet may be opened by its label, stored yet or not (the monitor decides what it shows).
  const input = h('input', { id: 'facet-label', placeholder: 'alice,alice', spellcheck: 'false', autocomplete: 'off' });
  const problem = h('span', { class: 'field-error', 'aria-live': 'polite' });
  const form = h('form', { class: 'card inline-form', 'aria-label': 'Open a facet' },
    h('label', { for: 'facet-label' }, 'Open the facet'), input, h('button', { type: 'submit' }, 'Open'), problem);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    try {
      parseLabel(input.value);
      location.hash = route('fs', { path: facet(path, input.value.trim()) });
    } catch (e) {
      problem.replaceChildren(e.message);
    }
  });
  main.append(form);
}

function labelField(id) {
  const input = h('input', { id, name: 'label', placeholder: 'default: your request label', spellcheck: 'false', autocomplete: 'off' });
  return { input, check: () => { if (input.value.trim() !== '') parseLabel(input.value); } };
}

function createForms(path, context) {
  const status = h('div', { class: 'status', id: 'create-status', 'aria-live': 'polite' });
  const done = async (answer, what) => {
    if (answer.ok) {
      status.replaceChildren(h('p', { class: 'ok' }, `${what} created.`));
      // Re-draw the listing with the new entry (the same page).
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } else {
      status.replaceChildren(errorLine(answer));
    }
  };
  const guard = (name, label) => {
    const problem = nameProblem(name);
    if (problem) throw new Error(problem);
    label.check();
  };

  // Upload a blob (streamed from the file, any size up to the server's limits).
  const file = h('input', { id: 'upload-file', type: 'file' });
  const uploadName = h('input', { id: 'upload-name', placeholder: 'the file name', autocomplete: 'off' });
  const uploadLabel = labelField('upload-label');
  file.addEventListener('change', () => { if (file.files[0] && uploadName.value === '') uploadName.value = file.files[0].name; });
  const upload = h('form', { class: 'card create', id: 'upload-form', 'aria-label': 'Upload a blob' },
    h('h2', {}, 'Upload a blob'),
    h('label', { for: 'upload-file' }, 'File'), file,
    h('label', { for: 'upload-name' }, 'Name'), uploadName,
    h('label', { for: 'upload-label' }, 'Label'), uploadLabel.input,
    h('button', { type: 'submit' }, 'Upload'));
  upload.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      if (!file.files[0]) throw new Error('choose a file');
      guard(uploadName.value, uploadLabel);
    } catch (e) { status.replaceChildren(h('p', { class: 'error', role: 'alert' }, e.message)); return; }
    status.replaceChildren('Uploading…');
    const label = uploadLabel.input.value.trim() || undefined;
    const answer = await api.call('POST', '/fs/blob', { query: { path: child(path, uploadName.value), label }, body: file.files[0] });
    if (context.isCurrent()) await done(answer, `Blob ${uploadName.value}`);
  });

  // Write a new file with its content.
  const fileName = h('input', { id: 'write-name', autocomplete: 'off' });
  const fileLabel = labelField('write-label');
  const content = h('textarea', { id: 'write-content', rows: '4', spellcheck: 'false' });
  const write = h('form', { class: 'card create', id: 'write-form', 'aria-label': 'Write a file' },
    h('h2', {}, 'Write a file'),
    h('label', { for: 'write-name' }, 'Name'), fileName,
    h('label', { for: 'write-label' }, 'Label'), fileLabel.input,
    h('label', { for: 'write-content' }, 'Content'), content,
    h('button', { type: 'submit' }, 'Write'));
  write.addEventListener('submit', async (event) => {
    event.preventDefault();
    try { guard(fileName.value, fileLabel); } catch (e) { status.replaceChildren(h('p', { class: 'error', role: 'alert' }, e.message)); return; }
    const label = fileLabel.input.value.trim() || undefined;
    const answer = await api.call('POST', '/fs/file', { query: { path: child(path, fileName.value), label }, body: new TextEncoder().encode(content.value) });
    if (context.isCurrent()) await done(answer, `File ${fileName.value}`);
  });

  // Make a directory.
  const dirName = h('input', { id: 'mkdir-name', autocomplete: 'off' });
  const dirLabel = labelField('mkdir-label');
  const mkdir = h('form', { class: 'card create', id: 'mkdir-form', 'aria-label': 'Make a directory' },
    h('h2', {}, 'Make a directory'),
    h('label', { for: 'mkdir-name' }, 'Name'), dirName,
    h('label', { for: 'mkdir-label' }, 'Label'), dirLabel.input,
    h('button', { type: 'submit' }, 'Create'));
  mkdir.addEventListener('submit', async (event) => {
    event.preventDefault();
    try { guard(dirName.value, dirLabel); } catch (e) { status.replaceChildren(h('p', { class: 'error', role: 'alert' }, e.message)); return; }
    const label = dirLabel.input.value.trim() || undefined;
    const answer = await api.call('POST', '/fs/dir', { query: { path: child(path, dirName.value), label } });
    if (context.isCurrent()) await done(answer, `Directory ${dirName.value}`);
  });

  return h('div', { class: 'creates' }, status, h('div', { class: 'create-grid' }, upload, write, mkdir));
}
