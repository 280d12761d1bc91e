// Sign in: POST /auth/login; the token lives in sessionStorage unless "remember" is ticked.
import * as api from './api.js';
import { h, heading, route, errorLine } from './dom.js';

export async function render(main, _params, context) {
  const status = h('div', { class: 'status', 'aria-live': 'polite' });
  const user = h('input', { id: 'signin-user', name: 'user', autocomplete: 'username', required: true });
  const password = h('input', { id: 'signin-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const rememberBox = h('input', { id: 'signin-remember', type: 'checkbox' });
  const form = h('form', { class: 'card narrow', id: 'signin-form' },
    h('label', { for: 'signin-user' }, 'User'), user,
    h('label', { for: 'signin-password' }, 'Password'), password,
    h('label', { class: 'check', for: 'signin-remember' }, rememberBox, ' Remember me on this device (otherwise only for this tab)'),
    h('button', { type: 'submit' }, 'Sign in'),
    status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.replaceChildren('Signing in…');
    const answer = await api.call('POST', '/auth/login', { json: { user: user.value, password: password.value } });
    if (!answer.ok || !answer.json?.token) {
      status.replaceChildren(errorLine(answer));
      return;
    }
    api.remember(answer.json.token, rememberBox.checked);
    password.value = '';
    await context.refreshIdentity();
    location.hash = route('fs', { path: '~' });
  });
  main.append(heading('Sign in'), form,
    h('p', { class: 'hint' }, 'Without signing in you browse as anonymous: only what is public.'));
  user.focus();
}
