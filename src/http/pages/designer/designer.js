// The flow designer (/admin/flows): signing in and out, which part of the page answers which
// event, and what the page does once loaded. The editor's parts are the other modules beside
// this one: each imports only state.js, drafts.js, schema.js and the helpers (the step editor
// also its fields, the test call the test chat's test of the draft), and tells the others what
// happened through the events of state.js.

import { show, startSession } from '/staff/staff.js';
import { loadFiles, settleDrafts } from './drafts.js';
import { loadFlowList, renderFlowList, renderProblems, renderSource, revealStep } from './flows.js';
import { drawGraph, highlightSelection } from './graph.js';
import { renderIntentsEditor } from './intents.js';
import { loadArticles, renderKnowledgeEditor } from './knowledge.js';
import { currentFiles, on, state } from './state.js';
import { renderStepEditor } from './steps.js';
import { endTestCall } from './test-call.js';
import { closeTestChat } from './test-chat.js';
import { setStatus } from './ui.js';
import { closeDiff, renderVersions } from './versions.js';

// --- which part answers which event ---------------------------------------------------------

on('files-loaded', () => {
  renderSource();
  closeDiff();
  drawGraph();
  renderStepEditor();
  renderIntentsEditor();
  loadArticles();
});
on('flow-draft', () => {
  renderSource();
  drawGraph();
  renderStepEditor();
});
on('intents-draft', renderIntentsEditor);
on('flow-opened', renderVersions);
on('step-selected', (name) => {
  highlightSelection();
  renderStepEditor(true);
  revealStep(name);
});
on('step-deleted', highlightSelection);
on('files-refused', renderProblems);
on('versions-changed', () => loadFlowList(false));

// --- signing in and out -------------------------------------------------------------------

function signedIn() {
  show('designer', true);
  show('dashboard-link', true);
  loadFlowList(true);
}

function signedOut() {
  closeTestChat();
  endTestCall('');
  state.current = null;
  state.loadToken += 1;
  state.flows = [];
  loadFiles({ flow: '', intents: null, knowledge: {} });
  renderFlowList();
  renderVersions();
  show('designer', false);
  show('dashboard-link', false);
  setStatus('');
}

// --- for scripts driving the page ---------------------------------------------------------

window.hotlineDesigner = {
  draft: () => currentFiles(),
  source: () => state.files.flow,
  idle: () => settleDrafts(),
  selected: () => state.selectedStep,
};

renderFlowList();
renderVersions();
drawGraph();
renderIntentsEditor();
renderKnowledgeEditor();
startSession({ signedIn, signedOut });
