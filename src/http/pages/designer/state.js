// What the designer's modules share: the open flow, its draft files and what the server said
// about them, and the selected step.

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
