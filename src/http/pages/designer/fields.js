// The step editor's fields: a control for each key of the step's type, committed as a draft edit
// when it changes, and hearing a text in the server voice.

import { checkSession, element, makeOption } from '/staff/staff.js';
import { flowDrafts } from './drafts.js';
import { FIELD_KINDS, STEP_FIELDS, STEP_REFERENCE_KEYS } from './schema.js';
import { state } from './state.js';
import { makeButton, setStatus } from './ui.js';

function fieldSpec(key) {
  if (STEP_REFERENCE_KEYS.has(key)) return { kind: 'step' };
  return FIELD_KINDS[key] || { kind: 'string' };
}

export function buildFields(name, step, names) {
  const known = STEP_FIELDS[step.type] || [];
  const extra = Object.keys(step).filter((key) => key !== 'type' && !known.includes(key));
  const context = { step: name, names, previewPlaced: false };
  return [
    ...known.map((key) => buildField(context, key, step[key], fieldSpec(key))),
    ...extra.map((key) => buildField(context, key, step[key], { kind: 'json', unknown: true })),
  ];
}

function sendStepEdit(step, key, value) {
  flowDrafts.push([{ path: ['steps', step, key], value }]);
}

function displayValue(value, spec) {
  if (value === undefined || value === null) return '';
  if (spec.kind === 'json') return JSON.stringify(value);
  if (spec.kind === 'list') return Array.isArray(value) ? value.join(', ') : JSON.stringify(value);
  return typeof value === 'string' ? value : String(value);
}

function readControl(control, spec) {
  const raw = control.value;
  switch (spec.kind) {
    case 'bool': return control.checked;
    case 'number': return raw.trim() === '' || Number.isNaN(Number(raw)) ? null : Number(raw);
    case 'step':
    case 'choice': return raw || null;
    case 'list': {
      const items = raw.split(',').map((item) => item.trim()).filter(Boolean);
      return items.length ? items : null;
    }
    case 'json': return raw.trim() === '' ? null : JSON.parse(raw);
    case 'text':
    case 'multiline': return raw.trim() === '' ? null : raw;
    default: return raw.trim() === '' ? null : raw.trim();
  }
}

function stepSelect(value, names) {
  const select = document.createElement('select');
  select.append(makeOption('', '—'));
  for (const name of names) select.append(makeOption(name));
  const wanted = value === undefined || value === null ? '' : String(value);
  if (wanted && !names.includes(wanted)) select.append(makeOption(wanted, wanted + ' (missing)'));
  select.value = wanted;
  return select;
}

function choiceSelect(value, options) {
  const select = document.createElement('select');
  select.append(makeOption('', '(default)'));
  for (const option of options) select.append(makeOption(option));
  const wanted = value === undefined || value === null ? '' : String(value);
  if (wanted && !options.includes(wanted)) select.append(makeOption(wanted));
  select.value = wanted;
  return select;
}

function makeControl(value, spec, names) {
  switch (spec.kind) {
    case 'bool': {
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = value === undefined || value === null ? !!spec.default : !!value;
      return box;
    }
    case 'step': return stepSelect(value, names);
    case 'choice': return choiceSelect(value, spec.options);
    case 'text':
    case 'multiline':
    case 'json': {
      const area = document.createElement('textarea');
      area.rows = spec.kind === 'text' ? 2 : 3;
      if (spec.kind === 'json') area.className = 'code';
      area.value = displayValue(value, spec);
      if (spec.placeholder) area.placeholder = spec.placeholder;
      return area;
    }
    default: {
      const input = document.createElement('input');
      input.type = spec.kind === 'number' ? 'number' : 'text';
      for (const attribute of ['step', 'min', 'max', 'placeholder']) if (spec[attribute]) input.setAttribute(attribute, spec[attribute]);
      input.value = displayValue(value, spec);
      input.autocomplete = 'off';
      return input;
    }
  }
}

function buildField(context, key, value, spec) {
  if (spec.kind === 'map') return buildMapField(context, key, value, spec);
  const wrap = document.createElement('div');
  wrap.className = 'field';
  wrap.dataset.field = key;
  const control = makeControl(value, spec, context.names);
  control.id = 'field-' + key;
  control.dataset.key = key;
  control.dataset.committed = JSON.stringify(value ?? null);
  const commit = () => commitField(context.step, key, control, spec);
  control.addEventListener('change', commit);
  if (control.tagName === 'TEXTAREA' || control.type === 'text' || control.type === 'number') control.addEventListener('blur', commit);
  const label = document.createElement('label');
  if (spec.kind === 'bool') {
    label.className = 'check';
    label.append(control, document.createTextNode(key + (spec.default ? ' (default on)' : '')));
    wrap.append(label);
    return wrap;
  }
  label.htmlFor = control.id;
  label.textContent = key + (spec.unknown ? ' (not a key of this step type)' : '');
  wrap.append(label);
  if (spec.speech) {
    const row = document.createElement('div');
    row.className = 'with-button';
    const preview = makeButton('▶ Hear', 'small secondary preview-speech', () => previewSpeech(control.value));
    preview.dataset.preview = key;
    preview.title = 'Hear this text in the server voice';
    if (!context.previewPlaced) { preview.id = 'preview-speech'; context.previewPlaced = true; }
    row.append(control, preview);
    wrap.append(row);
  } else {
    wrap.append(control);
  }
  return wrap;
}

function commitField(step, key, control, spec) {
  let value;
  try {
    value = readControl(control, spec);
  } catch (error) {
    setStatus(key + ': not valid JSON (' + error.message + ')', true);
    return;
  }
  const json = JSON.stringify(value);
  if (json === control.dataset.committed) return;
  control.dataset.committed = json;
  sendStepEdit(step, key, value);
}

function mapValueControl(key, spec, value, names) {
  let control;
  if (spec.values === 'step') {
    control = stepSelect(value, names);
  } else {
    control = document.createElement('input');
    control.type = 'text';
    control.autocomplete = 'off';
    control.value = value === undefined || value === null ? ''
      : spec.values === 'list' ? (Array.isArray(value) ? value.join(', ') : String(value))
      : typeof value === 'string' ? value : JSON.stringify(value);
    if (spec.valuePlaceholder) control.placeholder = spec.valuePlaceholder;
  }
  control.dataset.mapValue = key;
  control.setAttribute('aria-label', key + ' value');
  return control;
}

function mapRow(key, spec, entryKey, entryValue, names, onRemove) {
  const row = document.createElement('div');
  row.className = 'map-row';
  const keyInput = document.createElement('input');
  keyInput.type = 'text';
  keyInput.autocomplete = 'off';
  keyInput.value = entryKey;
  keyInput.placeholder = spec.keyPlaceholder || 'key';
  keyInput.dataset.mapKey = key;
  keyInput.setAttribute('aria-label', key + ' key');
  const remove = makeButton('×', 'small secondary remove-row', () => { row.remove(); onRemove(); });
  remove.title = 'Remove this row';
  row.append(keyInput, mapValueControl(key, spec, entryValue, names), remove);
  return row;
}

function readMap(rows, key, spec) {
  const map = {};
  for (const row of rows.querySelectorAll('.map-row')) {
    const entryKey = row.querySelector('[data-map-key]').value.trim();
    const raw = row.querySelector('[data-map-value]').value.trim();
    if (!entryKey || !raw) continue;
    map[entryKey] = spec.values === 'list' ? raw.split(',').map((item) => item.trim()).filter(Boolean) : raw;
  }
  return Object.keys(map).length ? map : null;
}

function buildMapField(context, key, value, spec) {
  const wrap = document.createElement('div');
  wrap.className = 'field map-field';
  wrap.dataset.field = key;
  const label = document.createElement('label');
  label.textContent = key;
  const rows = document.createElement('div');
  rows.className = 'map-rows';
  const entries = value && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [];
  wrap.dataset.committed = JSON.stringify(entries.length ? Object.fromEntries(entries) : null);
  const commit = () => {
    const map = readMap(rows, key, spec);
    const json = JSON.stringify(map);
    if (json === wrap.dataset.committed) return;
    wrap.dataset.committed = json;
    sendStepEdit(context.step, key, map);
  };
  for (const [entryKey, entryValue] of entries) rows.append(mapRow(key, spec, entryKey, entryValue, context.names, commit));
  rows.addEventListener('change', commit);
  const add = makeButton('+ add row', 'small secondary', () => {
    const row = mapRow(key, spec, '', null, context.names, commit);
    rows.append(row);
    row.querySelector('[data-map-key]').focus();
  });
  add.dataset.add = key;
  wrap.append(label, rows, add);
  return wrap;
}

// --- hearing a text in the server voice ------------------------------------------------

// The open flow's language (its `language = "zh"`; English unless it says), whose voice speaks
// previews.
function flowLanguage() {
  const match = /^language\s*=\s*"(\w+)"/m.exec(state.files.flow);
  return match ? match[1] : 'en';
}

async function previewSpeech(text) {
  const message = element('preview-message');
  const audio = element('preview-audio');
  if (!text.trim()) { message.textContent = 'There is no text to hear.'; return; }
  message.textContent = 'Synthesising…';
  try {
    const response = await fetch('/api/admin/speech/preview', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, language: flowLanguage() }),
    });
    if (response.status === 503) { message.textContent = 'Speech synthesis is off on this server.'; return; }
    if (!response.ok) {
      const data = await response.json().catch(() => ({}));
      checkSession(response);
      message.textContent = data.error || 'The preview failed (HTTP ' + response.status + ').';
      return;
    }
    const blob = await response.blob();
    if (audio.src) URL.revokeObjectURL(audio.src);
    audio.src = URL.createObjectURL(blob);
    audio.classList.remove('hidden');
    message.textContent = '';
    await audio.play().catch(() => {});
  } catch (error) {
    message.textContent = error.message;
  }
}
