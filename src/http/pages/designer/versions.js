// Saved versions: saving the draft, loading, publishing and rolling back, and the diff of a version.

import { api, element, setText, show } from '/staff/staff.js';
import { loadFiles, settleDrafts } from './drafts.js';
import { currentFiles, emit, state } from './state.js';
import { makeButton, onEnter, setStatus, when } from './ui.js';

function flowPath(...parts) {
  return '/api/admin/flows/' + encodeURIComponent(state.current.name) + parts.map((part) => '/' + encodeURIComponent(part)).join('');
}

function buildVersionItem(version) {
  const item = document.createElement('li');
  item.dataset.version = version.version;
  if (version.published) item.classList.add('live');
  const head = document.createElement('div');
  const number = document.createElement('strong');
  number.textContent = 'v' + version.version;
  head.append(number);
  if (version.published) {
    const badge = document.createElement('span');
    badge.className = 'badge live';
    badge.textContent = 'live';
    head.append(badge);
  }
  const meta = document.createElement('div');
  meta.className = 'muted';
  meta.textContent = [version.author, when(version.created_at)].filter(Boolean).join(' · ');
  const note = document.createElement('div');
  note.textContent = version.note || '';
  const actions = document.createElement('div');
  actions.className = 'version-actions';
  const load = makeButton('Load', 'small secondary load', () => loadVersion(version.version));
  const diff = makeButton('Diff', 'small secondary diff', () => showDiff(version.version));
  diff.disabled = version.version <= 1;
  diff.title = 'Changes from v' + (version.version - 1);
  const publish = makeButton('Publish', 'small publish', () => publishVersion(version.version));
  publish.disabled = !!version.published;
  actions.append(load, diff, publish);
  item.append(head, meta, note, actions);
  return item;
}

export function renderVersions() {
  const versions = state.current ? state.current.versions : [];
  setText('published', state.current && state.current.publishedVersion != null ? 'published v' + state.current.publishedVersion : 'not published');
  element('rollback').disabled = !state.current || state.current.publishedVersion == null;
  element('save').disabled = !state.current;
  const items = versions.map(buildVersionItem);
  if (!items.length) {
    const none = document.createElement('li');
    none.className = 'muted';
    none.textContent = state.current ? 'No saved version yet.' : '';
    items.push(none);
  }
  element('versions').replaceChildren(...items);
}

async function reloadFlow() {
  if (!state.current) return;
  const name = state.current.name;
  try {
    const flow = await api('GET', flowPath());
    if (!state.current || state.current.name !== name) return;
    state.current.publishedVersion = flow.published_version ?? null;
    state.current.versions = flow.versions || [];
    renderVersions();
  } catch (error) {
    setStatus(error.message, true);
  }
  await emit('versions-changed');
}

async function saveVersion() {
  if (!state.current) return;
  const button = element('save');
  button.disabled = true;
  try {
    await settleDrafts();
    const version = await api('POST', flowPath('versions'), { files: currentFiles(), note: element('note').value.trim() });
    element('note').value = '';
    setStatus('saved v' + version.version);
    await reloadFlow();
  } catch (error) {
    if (error.problems) emit('files-refused', error.problems);
    setStatus('not saved: ' + error.message, true);
  } finally {
    button.disabled = !state.current;
  }
}

async function publishVersion(number) {
  try {
    const result = await api('POST', flowPath('versions', number, 'publish'));
    setStatus('published v' + (result.published_version ?? number));
    await reloadFlow();
  } catch (error) {
    setStatus('not published: ' + error.message, true);
  }
}

async function rollBack() {
  if (!state.current) return;
  try {
    const result = await api('POST', flowPath('rollback'));
    setStatus('rolled back to v' + result.published_version);
    await reloadFlow();
  } catch (error) {
    setStatus(error.status === 409 ? 'nothing to roll back to: ' + error.message : error.message, true);
  }
}

async function loadVersion(number) {
  const name = state.current.name;
  try {
    const version = await api('GET', flowPath('versions', number));
    if (!state.current || state.current.name !== name) return;
    loadFiles(version.files);
    setStatus('loaded v' + number + ' into the editor');
  } catch (error) {
    setStatus(error.message, true);
  }
}

// Marks the unchanged lines within `context` lines of a change.
function contextLines(lines, context) {
  const keep = lines.map(() => false);
  lines.forEach((line, index) => {
    if (line.kind === 'same') return;
    for (let near = Math.max(0, index - context); near <= Math.min(lines.length - 1, index + context); near++) keep[near] = true;
  });
  return keep;
}

function diffLine(kind, text) {
  const span = document.createElement('span');
  span.className = kind;
  span.textContent = text + '\n';
  return span;
}

function renderDiff(diff) {
  const parts = [];
  for (const file of diff.files || []) {
    parts.push(diffLine('file', '— ' + file.file));
    const keep = contextLines(file.lines, 3);
    let skipping = false;
    file.lines.forEach((line, index) => {
      if (line.kind === 'same' && !keep[index]) {
        if (!skipping) parts.push(diffLine('gap', '⋯'));
        skipping = true;
        return;
      }
      skipping = false;
      if (line.kind === 'added') parts.push(diffLine('added', '+' + line.text));
      else if (line.kind === 'removed') parts.push(diffLine('removed', '-' + line.text));
      else parts.push(diffLine('same', ' ' + line.text));
    });
  }
  if (!parts.length) parts.push(diffLine('same', 'No differences.'));
  element('diff').replaceChildren(...parts);
}

export function closeDiff() {
  show('diff-section', false);
}

async function showDiff(number) {
  if (number <= 1) return;
  try {
    const diff = await api('GET', flowPath('diff') + '?from=' + (number - 1) + '&to=' + number);
    setText('diff-title', 'Changes from v' + (diff.from ?? number - 1) + ' to v' + (diff.to ?? number));
    renderDiff(diff);
    show('diff-section', true);
    element('diff-section').scrollIntoView({ block: 'nearest' });
  } catch (error) {
    setStatus(error.message, true);
  }
}

element('save').addEventListener('click', saveVersion);
onEnter('note', saveVersion);
element('rollback').addEventListener('click', rollBack);
