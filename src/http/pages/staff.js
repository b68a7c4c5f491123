// Shared by the staff pages (/desk, /review, /admin, /admin/flows), an ES module: element
// helpers, the JSON API helper, a few formatters and the sign-in form (#login section with
// #login-form; the sign-out button; #who and, where the page has it, #role in the header).

export const element = (id) => document.getElementById(id);

export function setText(id, value) { element(id).textContent = value ?? ''; }
export function show(id, visible) { element(id).classList.toggle('hidden', !visible); }

export function makeOption(value, label) {
  const option = document.createElement('option');
  option.value = value;
  option.textContent = label ?? value;
  return option;
}

export function svgElement(name, attributes, text) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', name);
  for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

// The WebSocket URL of `path` on this server.
export function socketUrl(path) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return scheme + '//' + location.host + path;
}

export function or(value) { return value === null || value === undefined || value === '' ? '—' : String(value); }

// Seconds as m:ss, or h:mm:ss from an hour on.
export function clock(seconds) {
  if (!Number.isFinite(seconds)) return '—';
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600), m = Math.floor(total / 60) % 60, s = total % 60;
  const two = (n) => String(n).padStart(2, '0');
  return h > 0 ? h + ':' + two(m) + ':' + two(s) : m + ':' + two(s);
}

// An answer other than 2xx: the server's message, its status and, for a draft with errors
// (422), each problem.
export class ApiError extends Error {
  constructor(message, status, data) {
    super(message);
    this.status = status;
    this.problems = Array.isArray(data.problems) ? data.problems : null;
  }
}

// How the page signs in: the staff pages' sign-in by name, unless startSession is told otherwise.
const NAME_SIGN_IN = {
  login: '/api/login',            // POST the form's fields here
  logout: '/api/logout',
  me: '/api/me',                  // GET: who is signed in, to resume a session the browser has
  fields: { name: 'name', password: 'password' }, // the JSON body's keys and their inputs' ids
  submit: 'signin',
  error: 'signin-error',
  signout: 'signout',
  loginAnswersMe: true,           // the sign-in's answer is what `me` answers; else ask `me`
  endOnUnauthorized: true,        // a 401 to a signed-in page signs it out
  label: (who) => who.name,       // what #who shows
  signedIn: () => {},             // gets what `me` answers
  signedOut: () => {},
};

const session = { signedIn: false, options: NAME_SIGN_IN };

export async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    checkSession(response, path);
    throw new ApiError(data.error || response.statusText || 'HTTP ' + response.status, response.status, data);
  }
  return data;
}

// Signs the page out when the server says its session has ended (401, but not to the sign-in).
export function checkSession(response, path) {
  const options = session.options;
  if (response.status === 401 && session.signedIn && options.endOnUnauthorized && path !== options.login) endSession();
}

function beginSession(who) {
  const options = session.options;
  session.signedIn = true;
  setText('who', options.label(who));
  if (element('role')) { setText('role', who.role); show('role', true); }
  show('login', false);
  show(options.signout, true);
  options.signedIn(who);
}

function endSession() {
  const options = session.options;
  session.signedIn = false;
  options.signedOut();
  show(options.signout, false);
  if (element('role')) show('role', false);
  setText('who', '');
  element(options.fields.password).value = '';
  show('login', true);
}

// Wires the sign-in form and the sign-out button, and resumes a session the browser still has.
// `options` overrides NAME_SIGN_IN above (the desk signs agents in elsewhere, for one).
export function startSession(options) {
  session.options = { ...NAME_SIGN_IN, ...options };
  const { login, logout, me, fields, submit, error, signout, loginAnswersMe } = session.options;
  element('login-form').onsubmit = async (submitted) => {
    submitted.preventDefault();
    setText(error, '');
    element(submit).disabled = true;
    try {
      const body = Object.fromEntries(Object.entries(fields).map(([key, id]) => [key, element(id).value]));
      const answer = await api('POST', login, body);
      const who = loginAnswersMe ? answer : await api('GET', me);
      element(fields.password).value = '';
      beginSession(who);
    } catch (failure) {
      setText(error, failure.message);
    } finally {
      element(submit).disabled = false;
    }
  };
  element(signout).onclick = async () => {
    await api('POST', logout).catch(() => {});
    endSession();
  };
  api('GET', me).then(beginSession).catch(() => {});
}
