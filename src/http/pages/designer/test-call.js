// Trying the draft by voice: the /call page's WebRTC call, against a test of the draft.

import { element, setText, socketUrl } from '/staff/staff.js';
import { createTest } from './test-chat.js';
import { makeButton } from './ui.js';

// The voice test runs the /call page's WebRTC call against the draft.
// `?processing=off` sends the microphone as it is, as on the /call page.
const processing = new URLSearchParams(location.search).get('processing') !== 'off';
export const testCall = { state: 'idle', reference: null, remoteStream: null, localStream: null };
window.hotlineCall = testCall;
let callSocket = null;
let callPeer = null;
let callToken = 0;
let callStartedAt = null;
let callClock = null;

function callStatus(text) { setText('test-call-status', text); }

function setCallState(state) {
  testCall.state = state;
  const live = state === 'connecting' || state === 'connected';
  element('test-call-start').disabled = live;
  element('test-call-hangup').disabled = !live;
  for (const key of element('test-call-keypad').querySelectorAll('button')) key.disabled = state !== 'connected';
}

function sendCall(message) {
  if (callSocket && callSocket.readyState === WebSocket.OPEN) callSocket.send(JSON.stringify(message));
}

function tickCall() {
  const seconds = Math.floor((Date.now() - callStartedAt) / 1000);
  setText('test-call-timer', Math.floor(seconds / 60) + ':' + String(seconds % 60).padStart(2, '0'));
}

function finishTestCall(text) {
  if (callClock) clearInterval(callClock);
  callClock = null;
  if (callPeer) callPeer.close();
  callPeer = null;
  const local = testCall.localStream;
  if (local) for (const track of local.getTracks()) track.stop();
  testCall.localStream = null;
  if (callSocket) { callSocket.onclose = null; callSocket.close(); }
  callSocket = null;
  setCallState('ended');
  callStatus(text);
}

export function hangUpTestCall(text) {
  callToken += 1;
  sendCall({ type: 'hangup' });
  finishTestCall(text);
}

async function startTestCall() {
  if (testCall.state === 'connecting' || testCall.state === 'connected') return;
  const token = ++callToken;
  testCall.reference = null;
  setText('test-call-timer', '');
  setCallState('connecting');
  callStatus('Starting a test of the draft…');
  const id = await createTest();
  if (token !== callToken) return;
  if (!id) { setCallState('idle'); callStatus('The test could not start: see the problems.'); return; }
  callStatus('Connecting…');
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: processing, noiseSuppression: processing, autoGainControl: processing },
    });
  } catch (error) {
    if (token === callToken) { setCallState('idle'); callStatus('The microphone is not available: ' + error.message); }
    return;
  }
  if (token !== callToken) { for (const track of stream.getTracks()) track.stop(); return; }
  testCall.localStream = stream;
  const peer = new RTCPeerConnection({ iceServers: [] });
  callPeer = peer;
  for (const track of stream.getAudioTracks()) peer.addTrack(track, stream);
  peer.ontrack = (event) => {
    const remoteStream = event.streams[0] || new MediaStream([event.track]);
    testCall.remoteStream = remoteStream;
    const audio = element('test-call-audio');
    audio.srcObject = remoteStream;
    audio.play().catch(() => {});
  };
  peer.onicecandidate = (event) => {
    if (event.candidate && event.candidate.candidate) {
      sendCall({ type: 'candidate', candidate: event.candidate.candidate, sdpMid: event.candidate.sdpMid });
    }
  };
  peer.onconnectionstatechange = () => {
    if (callPeer === peer && peer.connectionState === 'failed') {
      sendCall({ type: 'hangup' });
      finishTestCall('The call could not be connected.');
    }
  };
  const socket = new WebSocket(socketUrl('/api/webrtc/call?test=' + encodeURIComponent(id)));
  callSocket = socket;
  socket.onmessage = (event) => { if (socket === callSocket) receiveCallMessage(JSON.parse(event.data)); };
  socket.onclose = () => { if (socket === callSocket) finishTestCall('The connection was lost.'); };
  socket.onopen = async () => {
    const offer = await peer.createOffer();
    await peer.setLocalDescription(offer);
    sendCall({ type: 'offer', sdp: peer.localDescription.sdp });
  };
}

async function receiveCallMessage(message) {
  switch (message.type) {
    case 'answer':
      if (callPeer) await callPeer.setRemoteDescription({ type: 'answer', sdp: message.sdp });
      break;
    case 'call':
      testCall.reference = message.reference;
      callStatus('Calling… (reference ' + message.reference + ')');
      break;
    case 'connected':
      setCallState('connected');
      callStatus('Connected to the draft. Go ahead and speak.' + (testCall.reference ? ' (reference ' + testCall.reference + ')' : ''));
      callStartedAt = Date.now();
      tickCall();
      callClock = setInterval(tickCall, 1000);
      break;
    case 'ended':
      finishTestCall('The call has ended.' + (message.reason && message.reason !== 'hung up' ? ' (' + message.reason + ')' : ''));
      break;
    case 'error':
      callStatus(message.message);
      break;
  }
}

for (const key of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#']) {
  const button = makeButton(key, '', () => sendCall({ type: 'key', key }));
  button.dataset.dtmf = key;
  button.disabled = true;
  element('test-call-keypad').appendChild(button);
}
element('test-call-start').addEventListener('click', startTestCall);
element('test-call-hangup').addEventListener('click', () => hangUpTestCall('You hung up.'));
window.addEventListener('beforeunload', () => sendCall({ type: 'hangup' }));
