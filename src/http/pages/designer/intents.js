// The intents tab: each intent's example phrases, and the intents file's source.

import { element, show } from '/staff/staff.js';
import { editIntentsDocument, intentsDrafts } from './drafts.js';
import { NAME_PATTERN } from './schema.js';
import { state } from './state.js';
import { makeButton, onEnter, renderProblemList, rerenderKeepingFocus, setStatus, setTextKeepingCursor } from './ui.js';

// The demo file keeps intents as [[intent]] tables ({"intent": [{name, examples, ...}]}); a
// map shape ({"intents": {NAME: {examples}}}) is edited by key instead.
function intentsAreMap(document) {
  return !!document && !!document.intents && typeof document.intents === 'object' && !Array.isArray(document.intents);
}

function intentEntries(document) {
  if (!document) return [];
  if (intentsAreMap(document)) {
    return Object.entries(document.intents).map(([name, intent]) => ({ name, examples: (intent && intent.examples) || [], keywords: (intent && intent.keywords) || [] }));
  }
  return (Array.isArray(document.intent) ? document.intent : []).map((intent, index) => ({
    name: intent && typeof intent.name === 'string' ? intent.name : '#' + (index + 1),
    examples: (intent && intent.examples) || [],
    keywords: (intent && intent.keywords) || [],
  }));
}

function intentArrayEdit(change) {
  const list = change(Array.isArray(state.intentsDocument.intent) ? state.intentsDocument.intent.map((intent) => ({ ...intent })) : []);
  return [{ path: ['intent'], value: list.length ? list : null }];
}

function setIntentExamples(name, examples) {
  editIntentsDocument(() => {
    if (!state.intentsDocument) return null;
    return intentsAreMap(state.intentsDocument)
      ? [{ path: ['intents', name, 'examples'], value: examples }]
      : intentArrayEdit((list) => list.map((intent) => (intent.name === name ? { ...intent, examples } : intent)));
  });
}

function addIntent() {
  const name = element('add-intent-name').value.trim();
  if (!state.intentsDocument) { setStatus('Fix the intents source first.', true); return; }
  if (!NAME_PATTERN.test(name)) { setStatus('An intent name is letters, digits, _ and -.', true); return; }
  element('add-intent-name').value = '';
  editIntentsDocument(() => {
    if (!state.intentsDocument) return null;
    if (intentEntries(state.intentsDocument).some((intent) => intent.name === name)) { setStatus('There is an intent called ' + name + ' already.', true); return null; }
    return intentsAreMap(state.intentsDocument)
      ? [{ path: ['intents', name], value: { examples: [] } }]
      : intentArrayEdit((list) => [...list, { name, examples: [] }]);
  });
}

function removeIntent(name) {
  editIntentsDocument(() => {
    if (!state.intentsDocument) return null;
    return intentsAreMap(state.intentsDocument)
      ? [{ path: ['intents', name], value: null }]
      : intentArrayEdit((list) => list.filter((intent) => intent.name !== name));
  });
}

function buildIntent(intent) {
  const wrap = document.createElement('div');
  wrap.className = 'intent';
  wrap.dataset.intentName = intent.name;
  const head = document.createElement('header');
  const title = document.createElement('strong');
  title.textContent = intent.name;
  const count = document.createElement('span');
  count.className = 'muted';
  count.textContent = intent.examples.length + (intent.examples.length === 1 ? ' example' : ' examples');
  const remove = makeButton('Remove', 'small danger remove-intent', () => removeIntent(intent.name));
  remove.dataset.removeIntent = intent.name;
  head.append(title, count, remove);
  const area = document.createElement('textarea');
  area.dataset.intent = intent.name;
  area.rows = Math.min(10, Math.max(3, intent.examples.length + 1));
  area.placeholder = 'One example phrase per line';
  area.value = intent.examples.join('\n');
  area.dataset.committed = JSON.stringify(intent.examples);
  const commit = () => {
    const examples = area.value.split('\n').map((line) => line.trim()).filter(Boolean);
    const json = JSON.stringify(examples);
    if (json === area.dataset.committed) return;
    area.dataset.committed = json;
    setIntentExamples(intent.name, examples);
  };
  area.addEventListener('change', commit);
  area.addEventListener('blur', commit);
  wrap.append(head, area);
  if (intent.keywords.length) {
    const keywords = document.createElement('p');
    keywords.className = 'muted';
    keywords.textContent = 'Keywords: ' + intent.keywords.join(', ');
    wrap.append(keywords);
  }
  return wrap;
}

function renderIntentList() {
  const list = element('intents-list');
  show('intents-stale', state.files.intents !== null && !state.intentsDocument && state.intentsProblems.length > 0);
  rerenderKeepingFocus(list, () => {
    const intents = intentEntries(state.intentsDocument);
    const items = intents.map(buildIntent);
    if (!items.length && state.intentsDocument) {
      const none = document.createElement('p');
      none.className = 'muted';
      none.textContent = 'No intents yet.';
      items.push(none);
    }
    list.replaceChildren(...items);
  });
}

export function renderIntentsEditor() {
  const present = state.files.intents !== null;
  show('intents-none', !present);
  show('intents-body', present);
  setTextKeepingCursor(element('intents-source'), state.files.intents ?? '');
  renderIntentList();
  renderProblemList(element('intents-problems'), state.intentsProblems);
}

element('create-intents').addEventListener('click', () => {
  if (!state.current) { setStatus('Choose or create a flow first.', true); return; }
  state.files.intents = 'schema = 1\nthreshold = 0.4\n';
  renderIntentsEditor();
  intentsDrafts.push([]);
});
element('intents-source').addEventListener('input', () => {
  state.files.intents = element('intents-source').value;
  intentsDrafts.later(300);
});
element('add-intent').addEventListener('click', addIntent);
onEnter('add-intent-name', addIntent);
