// The draft: files loaded into the editor, and draft requests: every edit goes to the server,
// which answers the edited source, the parsed document and its problems; one request at a time,
// the latest queued.

import { api } from '/staff/staff.js';
import { emit, state } from './state.js';
import { setStatus } from './ui.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function makeDraftQueue({ request, source, accept, enabled }) {
  const queue = { generation: 0, busy: false, waiting: false, edits: [], timer: 0 };

  function push(edits) {
    queue.edits.push(...edits);
    queue.waiting = true;
    pump();
  }

  function later(delay) {
    clearTimeout(queue.timer);
    queue.timer = setTimeout(() => { queue.timer = 0; push([]); }, delay);
  }

  async function pump() {
    if (queue.busy || !queue.waiting) return;
    if (!enabled()) { queue.waiting = false; queue.edits = []; return; }
    queue.busy = true;
    queue.waiting = false;
    const edits = queue.edits;
    queue.edits = [];
    const generation = queue.generation;
    const sent = source();
    try {
      const result = await request(sent, edits);
      if (generation !== queue.generation) return;
      if (source() === sent) accept(result);
      else if (edits.length) { queue.edits.unshift(...edits); queue.waiting = true; }
    } catch (error) {
      if (generation === queue.generation) setStatus(error.message, true);
    } finally {
      queue.busy = false;
      pump();
    }
  }

  async function idle() {
    if (queue.timer) { clearTimeout(queue.timer); queue.timer = 0; push([]); }
    while (queue.busy || queue.waiting) await sleep(25);
  }

  function reset() {
    queue.generation += 1;
    queue.edits = [];
    queue.waiting = false;
    clearTimeout(queue.timer);
    queue.timer = 0;
  }

  return { push, later, idle, reset };
}

function acceptFlowDraft(result) {
  state.files.flow = result.source;
  state.flowProblems = result.problems || [];
  state.documentStale = !result.document;
  if (result.document) {
    state.flowDocument = result.document;
    state.flowGraph = result.graph || { start: '', nodes: [], edges: [] };
  }
  reconcileSelection();
  emit('flow-draft');
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

function acceptIntentsDraft(result) {
  state.files.intents = result.source;
  state.intentsDocument = result.document || null;
  state.intentsProblems = result.problems || [];
  emit('intents-draft');
}

export const flowDrafts = makeDraftQueue({
  request: (source, edits) => api('POST', '/api/admin/flows/draft', { name: state.current.name, source, edits }),
  source: () => state.files.flow,
  accept: acceptFlowDraft,
  enabled: () => !!state.current,
});

export const intentsDrafts = makeDraftQueue({
  request: (source, edits) => api('POST', '/api/admin/intents/draft', { source, edits }),
  source: () => state.files.intents ?? '',
  accept: acceptIntentsDraft,
  enabled: () => state.files.intents !== null,
});

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
  if (state.current) {
    flowDrafts.push([]);
    if (state.files.intents !== null) intentsDrafts.push([]);
  }
  emit('files-loaded');
}

// Edits computed from the last document run one after another, each once the drafts before it
// came back, so none is computed from a document that misses an earlier edit.
function serialEdits(queue) {
  let chain = Promise.resolve();
  const edit = (makeEdits) => {
    const generation = state.filesGeneration;
    chain = chain.then(async () => {
      await queue.idle();
      if (generation !== state.filesGeneration) return;
      const edits = makeEdits();
      if (edits && edits.length) {
        queue.push(edits);
        await queue.idle();
      }
    }).catch((error) => setStatus(error.message, true));
    return chain;
  };
  edit.settled = () => chain;
  return edit;
}

export const editFlowDocument = serialEdits(flowDrafts);
export const editIntentsDocument = serialEdits(intentsDrafts);

export async function settleDrafts() {
  await Promise.all([editFlowDocument.settled(), editIntentsDocument.settled()]);
  await Promise.all([flowDrafts.idle(), intentsDrafts.idle()]);
}
