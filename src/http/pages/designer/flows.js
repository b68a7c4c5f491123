// Choosing a flow and loading its files into the editor; the flow source, its problems and the
// editor's tabs.

import { api, element, makeOption, show } from '/staff/staff.js';
import { flowDrafts, intentsDrafts } from './drafts.js';
import { drawGraph, selectStep } from './graph.js';
import { renderIntentsEditor } from './intents.js';
import { checkArticle, renderKnowledgeEditor } from './knowledge.js';
import { NAME_PATTERN } from './schema.js';
import { state } from './state.js';
import { renderStepEditor } from './steps.js';
import { onEnter, renderProblemList, setStatus, setTextKeepingCursor } from './ui.js';
import { renderVersions } from './versions.js';

// --- choosing a flow ----------------------------------------------------------------------

export function flowPath(...parts) {
  return '/api/admin/flows/' + encodeURIComponent(state.current.name) + parts.map((part) => '/' + encodeURIComponent(part)).join('');
}

function newFlowSource(name) {
  return 'schema = 1\nname = "' + name + '"\nstart = "hello"\n\n[steps.hello]\ntype = "say"\ntext = "Hello."\nnext = "goodbye"\n\n[steps.goodbye]\ntype = "hangup"\n';
}

function flowLabel(flow) {
  return flow.name + ' — ' + (flow.published_version != null ? 'published v' + flow.published_version : 'not published');
}

export function renderFlowList() {
  const options = state.flows.map((flow) => makeOption(flow.name, flowLabel(flow)));
  if (state.current && !state.flows.some((flow) => flow.name === state.current.name)) {
    options.push(makeOption(state.current.name, state.current.name + ' — new, not saved'));
  }
  if (!state.current) options.unshift(makeOption('', 'Choose a flow…'));
  const select = element('flow-list');
  select.replaceChildren(...options);
  select.value = state.current ? state.current.name : '';
}

export async function loadFlowList(openFirst) {
  try {
    const data = await api('GET', '/api/admin/flows');
    state.flows = data.flows || [];
    renderFlowList();
    if (openFirst && !state.current && state.flows.length) {
      const first = state.flows.find((flow) => flow.latest_version > 0) || state.flows[0];
      openFlow(first.name);
    }
  } catch (error) {
    setStatus(error.message, true);
  }
}

async function openFlow(name) {
  const token = ++state.loadToken;
  setStatus('opening ' + name + '…');
  try {
    const flow = await api('GET', '/api/admin/flows/' + encodeURIComponent(name));
    if (token !== state.loadToken) return;
    state.current = { name, publishedVersion: flow.published_version ?? null, versions: flow.versions || [] };
    renderFlowList();
    renderVersions();
    loadFiles(flow.draft || { flow: newFlowSource(name), intents: null, knowledge: {} });
    setStatus(flow.draft ? 'opened ' + name : name + ' has no version yet: starting from a minimal flow');
  } catch (error) {
    if (token === state.loadToken) setStatus(error.message, true);
  }
}

function startNewFlow() {
  const name = element('new-flow-name').value.trim();
  if (!NAME_PATTERN.test(name)) { setStatus('A flow name is letters, digits, _ and -.', true); return; }
  if (state.flows.some((flow) => flow.name === name && flow.latest_version > 0)) { setStatus('A flow called ' + name + ' exists already.', true); return; }
  state.loadToken += 1;
  state.current = { name, publishedVersion: null, versions: [] };
  element('new-flow-name').value = '';
  renderFlowList();
  renderVersions();
  loadFiles({ flow: newFlowSource(name), intents: null, knowledge: {} });
  setStatus('new flow ' + name + ': not saved yet');
}

export function loadFiles(loaded) {
  flowDrafts.reset();
  intentsDrafts.reset();
  state.filesGeneration += 1;
  for (const check of Object.values(state.articleChecks)) clearTimeout(check.timer);
  state.articleChecks = {};
  state.files = { flow: loaded.flow ?? '', intents: loaded.intents ?? null, knowledge: { ...(loaded.knowledge || {}) } };
  state.flowDocument = null;
  state.flowGraph = null;
  state.flowProblems = [];
  state.documentStale = false;
  state.intentsDocument = null;
  state.intentsProblems = [];
  state.knowledgeProblems = {};
  state.selectedStep = null;
  state.pendingSelection = null;
  state.selectStartOnResult = true;
  state.renderedStepSignature = '';
  element('source').value = state.files.flow;
  show('diff-section', false);
  renderProblems([]);
  drawGraph();
  renderStepEditor();
  renderIntentsEditor();
  renderKnowledgeEditor();
  if (!state.current) return;
  flowDrafts.push([]);
  if (state.files.intents !== null) intentsDrafts.push([]);
  for (const file of Object.keys(state.files.knowledge)) checkArticle(file);
}

element('flow-list').addEventListener('change', () => {
  const name = element('flow-list').value;
  if (name && (!state.current || name !== state.current.name || state.flows.some((flow) => flow.name === name))) openFlow(name);
});
element('new-flow').addEventListener('click', startNewFlow);
onEnter('new-flow-name', startNewFlow);

// --- the flow source and its validation ---------------------------------------------------

export function acceptFlowDraft(result) {
  state.files.flow = result.source;
  setTextKeepingCursor(element('source'), state.files.flow);
  state.flowProblems = result.problems || [];
  state.documentStale = !result.document;
  if (result.document) {
    state.flowDocument = result.document;
    state.flowGraph = result.graph || { start: '', nodes: [], edges: [] };
  }
  reconcileSelection();
  renderProblems(state.flowProblems);
  drawGraph();
  renderStepEditor();
}

function reconcileSelection() {
  const steps = (state.flowDocument && state.flowDocument.steps) || {};
  if (state.pendingSelection && steps[state.pendingSelection]) { state.selectedStep = state.pendingSelection; state.pendingSelection = null; }
  if (state.selectStartOnResult && state.flowDocument) {
    state.selectStartOnResult = false;
    if (!state.selectedStep && steps[state.flowDocument.start]) state.selectedStep = state.flowDocument.start;
  }
  if (state.selectedStep && state.flowDocument && !steps[state.selectedStep]) state.selectedStep = null;
}

export function renderProblems(problems) {
  renderProblemList(element('problems'), problems, (problem) => {
    if (problem.line > 0) goToSourceLine(problem.line, true);
    if (problem.step && state.flowDocument && state.flowDocument.steps && state.flowDocument.steps[problem.step]) selectStep(problem.step);
  });
  const errors = problems.filter((problem) => problem.severity !== 'warning').length;
  const validity = element('validity');
  validity.textContent = !state.current ? '' : errors === 0 ? 'valid' : errors + (errors === 1 ? ' error' : ' errors');
  validity.className = errors === 0 ? 'valid' : 'invalid';
}

export function goToSourceLine(line, focus) {
  const area = element('source');
  const lines = area.value.split('\n');
  const index = Math.max(0, Math.min(line, lines.length) - 1);
  const start = lines.slice(0, index).reduce((total, text) => total + text.length + 1, 0);
  const height = parseFloat(getComputedStyle(area).lineHeight) || 18;
  if (focus) {
    showTab('tab-source');
    area.focus();
    area.setSelectionRange(start, start + lines[index].length);
  }
  area.scrollTop = Math.max(0, (index - 3) * height);
}

element('source').addEventListener('input', () => {
  state.files.flow = element('source').value;
  flowDrafts.later(300);
});

// --- tabs -----------------------------------------------------------------------------------

const TABS = { 'tab-source': 'source-panel', 'tab-intents': 'intents-editor', 'tab-knowledge': 'knowledge-editor' };

function showTab(tab) {
  for (const [button, panel] of Object.entries(TABS)) {
    element(button).classList.toggle('active', button === tab);
    show(panel, button === tab);
  }
}
for (const tab of Object.keys(TABS)) element(tab).addEventListener('click', () => showTab(tab));
