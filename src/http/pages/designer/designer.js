// The flow designer (/admin/flows): signing in and out, and what the page does once loaded.
// The editor's parts are the other modules beside this one.

import { show, startSession } from '/staff/staff.js';
import { settleDrafts } from './drafts.js';
import { loadFiles, loadFlowList, renderFlowList } from './flows.js';
import { drawGraph } from './graph.js';
import { renderIntentsEditor } from './intents.js';
import { renderKnowledgeEditor } from './knowledge.js';
import { currentFiles, state } from './state.js';
import { endTestCall } from './test-call.js';
import { closeTestChat } from './test-chat.js';
import { setStatus } from './ui.js';
import { renderVersions } from './versions.js';

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
