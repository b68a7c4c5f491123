// Choosing a flow and opening it; the flow source, its problems and the editor's tabs.

import { api, element, makeOption, show } from '/staff/staff.js';
import { flowDrafts, loadFiles } from './drafts.js';
import { NAME_PATTERN } from './schema.js';
import { emit, selectStep, state } from './state.js';
import { onEnter, renderProblemList, setStatus, setTextKeepingCursor } from './ui.js';

// --- choosing a flow ----------------------------------------------------------------------

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
    emit('flow-opened');
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
  emit('flow-opened');
  loadFiles({ flow: newFlowSource(name), intents: null, knowledge: {} });
  setStatus('new flow ' + name + ': not saved yet');
}

element('flow-list').addEventListener('change', () => {
  const name = element('flow-list').value;
  if (name && (!state.current || name !== state.current.name || state.flows.some((flow) => flow.name === name))) openFlow(name);
});
element('new-flow').addEventListener('click', startNewFlow);
onEnter('new-flow-name', startNewFlow);

// --- the flow source and its validation ---------------------------------------------------

export function renderSource() {
  setTextKeepingCursor(element('source'), state.files.flow);
  renderProblems(state.flowProblems);
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

function goToSourceLine(line, focus) {
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

// Scrolls the source to step `name`, unless it is being edited.
export function revealStep(name) {
  const node = state.flowGraph && state.flowGraph.nodes.find((candidate) => candidate.id === name);
  if (node && node.line > 0 && document.activeElement !== element('source')) goToSourceLine(node.line, false);
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
