// Trying the draft by voice: the /call page's browser call, against a test of the draft.

import { browserCall } from '/staff/browser-call.js';
import { element, setText } from '/staff/staff.js';
import { createTest } from './test-chat.js';

function callStatus(text) { setText('test-call-status', text); }

const testCall = browserCall({
  audio: element('test-call-audio'),
  keypad: element('test-call-keypad'),
  timer: element('test-call-timer'),
  state(state) {
    const live = state === 'connecting' || state === 'connected';
    element('test-call-start').disabled = live;
    element('test-call-hangup').disabled = !live;
  },
  status: callStatus,
  reference: (reference) => callStatus('Calling… (reference ' + reference + ')'),
  connected() {
    const reference = testCall.call.reference;
    callStatus('Connected to the draft. Go ahead and speak.' + (reference ? ' (reference ' + reference + ')' : ''));
  },
  lost: 'The connection was lost.',
});

// Hangs up a call in progress, showing `text`.
export function endTestCall(text) {
  const state = testCall.call.state;
  if (state === 'connecting' || state === 'connected') testCall.hangUp(text);
}

async function startTestCall() {
  await testCall.start(async () => {
    callStatus('Starting a test of the draft…');
    const id = await createTest();
    return id ? '/api/webrtc/call?test=' + encodeURIComponent(id) : null;
  }, 'The test could not start: see the problems.');
}

element('test-call-start').addEventListener('click', startTestCall);
element('test-call-hangup').addEventListener('click', () => testCall.hangUp('You hung up.'));
