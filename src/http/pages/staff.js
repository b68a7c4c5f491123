// Shared by the staff pages that sign in with a user's name (/review, /admin, /admin/flows):
// element helpers, the JSON API helper and the sign-in form (#login-form with #name, #password,
// #signin, #signin-error; #signout).
'use strict';

const element = (id) => document.getElementById(id);

function setText(id, value) { element(id).textContent = value ?? ''; }
function show(id, visible) { element(id).classList.toggle('hidden', !visible); }

// An answer other than 2xx: the server's message, its status and, for a draft with errors
// (422), each problem.
class ApiError extends Error {
  constructor(message, status, data) {
    super(message);
    this.status = status;
    this.problems = Array.isArray(data.problems) ? data.problems : null;
  }
}

const session = { signedIn: false, onSignedOut: () => {} };

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    if (response.status === 401 && session.signedIn && path !== '/api/login') endSession();
    throw new ApiError(data.error || response.statusText || 'HTTP ' + response.status, response.status, data);
  }
  return data;
}

function endSession() {
  session.signedIn = false;
  session.onSignedOut();
}

// Wires the sign-in form and the sign-out button, and resumes a session the browser still has:
// `signedIn(who)` gets `{name, role}`, `signedOut()` shows the form again.
function startSession(signedIn, signedOut) {
  const begin = (who) => {
    session.signedIn = true;
    signedIn(who);
  };
  session.onSignedOut = signedOut;
  element('login-form').onsubmit = async (submitted) => {
    submitted.preventDefault();
    setText('signin-error', '');
    element('signin').disabled = true;
    try {
      const who = await api('POST', '/api/login', { name: element('name').value, password: element('password').value });
      element('password').value = '';
      begin(who);
    } catch (error) {
      setText('signin-error', error.message);
    } finally {
      element('signin').disabled = false;
    }
  };
  element('signout').onclick = async () => {
    await api('POST', '/api/logout').catch(() => {});
    endSession();
  };
  api('GET', '/api/me').then(begin).catch(() => {});
}
