// What the designer's modules share: the open flow, its draft files and what the server said
// about them, the selected step, and the events by which a part of the page tells the others
// what happened (designer.js says which part answers which event):
//   files-loaded     new files are in the editor (a flow opened, a version loaded, signed out)
//   flow-draft       the server answered a flow draft (state.files.flow, flowDocument, ...)
//   intents-draft    the server answered an intents draft
//   flow-opened      another flow is open (state.current)
//   step-selected    the user picked a step (its name)
//   step-deleted     the user deleted the selected step
//   files-refused    the server refused the files, with their problems
//   versions-changed a version was saved, published or rolled back

export const state = {
  flows: [],                 // GET /api/admin/flows
  current: null,             // the open flow: { name, publishedVersion, versions }
  files: { flow: '', intents: null, knowledge: {} },
  flowDocument: null,        // the last document that parsed
  flowGraph: null,
  flowProblems: [],
  documentStale: false,
  intentsDocument: null,
  intentsProblems: [],
  knowledgeProblems: {},
  articleChecks: {},         // file -> { timer, sequence }
  selectedStep: null,
  pendingSelection: null,    // a step name to select once a draft holds it
  selectStartOnResult: false,
  renderedStepSignature: '',
  loadToken: 0,
  filesGeneration: 0,
};

export function currentFiles() {
  return { flow: state.files.flow, intents: state.files.intents, knowledge: { ...state.files.knowledge } };
}

const handlers = {};

export function on(name, handler) {
  (handlers[name] ||= []).push(handler);
}

// Calls the handlers of `name` in turn; the promise settles once those that are async have.
export function emit(name, detail) {
  return Promise.all((handlers[name] || []).map((handler) => handler(detail)));
}

export function selectStep(name) {
  state.selectedStep = name;
  state.pendingSelection = null;
  emit('step-selected', name);
}
