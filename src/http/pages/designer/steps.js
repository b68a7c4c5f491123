// The step editor: the selected step's name, type and fields; adding, renaming and deleting steps.

import { element, makeOption, show } from '/staff/staff.js';
import { editFlowDocument, flowDrafts } from './drafts.js';
import { buildFields } from './fields.js';
import { NAME_PATTERN, STEP_MAP_KEYS, STEP_REFERENCE_KEYS, STEP_TYPES } from './schema.js';
import { emit, state } from './state.js';
import { onEnter, rerenderKeepingFocus, setStatus } from './ui.js';

export function renderStepEditor(force) {
  const steps = (state.flowDocument && state.flowDocument.steps) || {};
  const step = state.selectedStep ? steps[state.selectedStep] : null;
  show('step-empty', !step);
  show('step-body', !!step);
  show('step-stale', state.documentStale && !!state.current);
  element('step-body').disabled = state.documentStale;
  if (!step) { state.renderedStepSignature = ''; return; }
  const names = Object.keys(steps);
  const signature = JSON.stringify([state.selectedStep, step, names, state.flowDocument.start]);
  if (signature === state.renderedStepSignature && !force) return;
  state.renderedStepSignature = signature;
  if (document.activeElement !== element('step-name')) element('step-name').value = state.selectedStep;
  const typeSelect = element('step-type');
  for (const extra of typeSelect.querySelectorAll('option[data-extra]')) extra.remove();
  const type = typeof step.type === 'string' ? step.type : '';
  if (!STEP_TYPES.includes(type)) {
    const unknown = makeOption(type, (type || 'no type') + ' (unknown)');
    unknown.dataset.extra = '1';
    typeSelect.prepend(unknown);
  }
  typeSelect.value = type;
  const isStart = state.flowDocument.start === state.selectedStep;
  element('set-start').disabled = isStart;
  show('step-start-note', isStart);
  const fields = element('step-fields');
  rerenderKeepingFocus(fields, () => fields.replaceChildren(...buildFields(state.selectedStep, step, names)));
}

function renameEdits(document, from, to) {
  const rewrite = (step) => {
    const copy = { ...step };
    for (const [key, value] of Object.entries(copy)) {
      if (STEP_REFERENCE_KEYS.has(key) && value === from) copy[key] = to;
      if (STEP_MAP_KEYS.has(key) && value && typeof value === 'object' && !Array.isArray(value)) {
        copy[key] = Object.fromEntries(Object.entries(value).map(([entry, target]) => [entry, target === from ? to : target]));
      }
    }
    return copy;
  };
  const edits = [{ path: ['steps', from], value: null }, { path: ['steps', to], value: rewrite(document.steps[from]) }];
  for (const [name, step] of Object.entries(document.steps)) {
    if (name === from) continue;
    const rewritten = rewrite(step);
    for (const key of Object.keys(step)) {
      if (JSON.stringify(step[key]) !== JSON.stringify(rewritten[key])) edits.push({ path: ['steps', name, key], value: rewritten[key] });
    }
  }
  if (document.start === from) edits.push({ path: ['start'], value: to });
  if (document.escalation && document.escalation.step === from) edits.push({ path: ['escalation', 'step'], value: to });
  return edits;
}

function renameSelectedStep() {
  const input = element('step-name');
  const from = state.selectedStep;
  const to = input.value.trim();
  if (!from || to === from) return;
  if (!NAME_PATTERN.test(to)) { setStatus('A step name is letters, digits, _ and -.', true); input.value = from; return; }
  editFlowDocument(() => {
    if (!state.flowDocument || !state.flowDocument.steps || !state.flowDocument.steps[from]) return null;
    if (state.flowDocument.steps[to]) { setStatus('There is a step called ' + to + ' already.', true); input.value = from; return null; }
    state.pendingSelection = to;
    setStatus('renamed ' + from + ' to ' + to);
    return renameEdits(state.flowDocument, from, to);
  });
}

function newStepTable(type, name, start) {
  const to = start || name;
  const tables = {
    play: { prompt: 'audio/' + name + '.wav', next: to },
    say: { text: '...', next: to },
    menu: { prompt: 'audio/' + name + '.wav', choices: { 1: to }, on_failure: to },
    collect: { prompt: 'audio/' + name + '.wav', variable: name, next: to, on_failure: to },
    ask: { text: '...?', variable: name, next: to, on_failure: to },
    intent: { text: 'How can I help?', intents: {}, on_failure: to },
    answer: { next: to, on_no_answer: to },
    lookup: { url: '{server}/', next: to, on_not_found: to, on_error: to },
    branch: { variable: 'intent', cases: {}, default: to },
    transfer: { reason: '...' },
    goto: { target: to },
    hours: { windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }], open: to, closed: to },
    record: { action: 'pause', next: to },
    hangup: {},
  };
  return { type, ...(tables[type] || {}) };
}

function addStep() {
  const name = element('add-step-name').value.trim();
  const type = element('add-step-type').value;
  if (!state.current) { setStatus('Choose or create a flow first.', true); return; }
  if (!NAME_PATTERN.test(name)) { setStatus('A step name is letters, digits, _ and -.', true); return; }
  if (state.flowDocument && state.flowDocument.steps && state.flowDocument.steps[name]) { setStatus('There is a step called ' + name + ' already.', true); return; }
  state.pendingSelection = name;
  flowDrafts.push([{ path: ['steps', name], value: newStepTable(type, name, state.flowDocument && state.flowDocument.start) }]);
  element('add-step-name').value = '';
  setStatus('added step ' + name);
}

function changeStepType() {
  if (!state.selectedStep) return;
  flowDrafts.push([{ path: ['steps', state.selectedStep], value: { type: element('step-type').value } }]);
}

function deleteSelectedStep() {
  if (!state.selectedStep) return;
  const name = state.selectedStep;
  state.selectedStep = null;
  flowDrafts.push([{ path: ['steps', name], value: null }]);
  emit('step-deleted');
  renderStepEditor();
  setStatus('deleted step ' + name);
}

function makeSelectedStepStart() {
  if (!state.selectedStep) return;
  flowDrafts.push([{ path: ['start'], value: state.selectedStep }]);
}

for (const id of ['step-type', 'add-step-type']) element(id).replaceChildren(...STEP_TYPES.map((type) => makeOption(type)));
element('add-step-type').value = 'say';
element('step-type').addEventListener('change', changeStepType);
element('step-name').addEventListener('change', renameSelectedStep);
onEnter('step-name', () => element('step-name').blur());
element('delete-step').addEventListener('click', deleteSelectedStep);
element('set-start').addEventListener('click', makeSelectedStepStart);
element('add-step').addEventListener('click', addStep);
onEnter('add-step-name', addStep);
