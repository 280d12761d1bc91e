// The console's shell: a hash router over pages, the header (who is signed in, sign out) and
// the navigation. Every page is a module exporting render(main, params).
import * as api from './api.js';
import { h, clear, route } from './dom.js';
import * as signin from './view-signin.js';
import * as browse from './view-browse.js';
import * as invoke from './view-invoke.js';
import * as invocation from './view-invocation.js';
import * as invocations from './view-invocations.js';
import * as labels from './view-labels.js';

const pages = { signin, fs: browse, invoke, invocation, invocations, labels };

let me = null;
let generation = 0;

/** Who the token belongs to (GET /auth/me); null when anonymous. */
export async function refreshIdentity() {
  me = null;
  if (api.token()) {
    const answer = await api.call('GET', '/auth/me');
    if (answer.ok && answer.json) me = answer.json;
  }
  renderHeader();
  return me;
}

export function signOut() {
  api.forget();
  me = null;
  renderHeader();
  location.hash = route('signin');
}

function renderHeader() {
  const nav = clear(document.getElementById('nav'));
  const current = location.hash.split('?')[0];
  const item = (name, params, text) => {
    const href = route(name, params);
    return h('a', { href, 'aria-current': href.split('?')[0] === current ? 'page' : null }, text);
  };
  nav.append(item('fs', { path: '~' }, 'Files'), item('invoke', {}, 'Invoke'), item('invocations', {}, 'Invocations'), item('labels', {}, 'Labels'));
  const who = clear(document.getElementById('who'));
  if (me && me.user) {
    who.append(h('span', { class: 'who-user' }, 'signed in as ', h('strong', {}, me.user)),
      h('button', { type: 'button', class: 'secondary', id: 'sign-out', onclick: signOut }, 'Sign out'));
  } else {
    who.append(h('a', { href: route('signin'), class: 'button' }, 'Sign in'));
  }
}

function parseHash() {
  const hash = location.hash.startsWith('#/') ? location.hash.slice(2) : '';
  const [name, search = ''] = hash.split(/\?(.*)/su);
  return { name: name || (api.token() ? 'fs' : 'signin'), params: new URLSearchParams(search) };
}

async function render() {
  const mine = ++generation;
  const { name, params } = parseHash();
  const page = pages[name];
  renderHeader();
  const main = clear(document.getElementById('main'));
  main.setAttribute('aria-busy', 'true');
  if (!page) {
    main.append(h('h1', {}, 'No such page'), h('p', {}, h('a', { href: route('fs', { path: '~' }) }, 'Go to your files')));
  } else {
    // A page checks isCurrent() after each await, so a slow answer never draws over a newer page.
    await page.render(main, params, { isCurrent: () => mine === generation, me: () => me, refreshIdentity });
  }
  if (mine === generation) {
    main.setAttribute('aria-busy', 'false');
    const title = main.querySelector('h1');
    if (title && document.activeElement === document.body) title.focus({ preventScroll: true });
  }
}

api.whenUnauthorized(() => {
  // An expired or revoked token: forget it rather than retry with it.
  api.forget();
  me = null;
  renderHeader();
});

window.addEventListener('hashchange', render);
await refreshIdentity();
await render();
document.documentElement.dataset.ready = 'true';
