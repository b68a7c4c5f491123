// A browser call to Hotline over /api/webrtc/call, an ES module: the microphone, the WebRTC peer,
// the signalling WebSocket, the keypad and the call's clock. The "call us" page (/call) and the
// flow designer's test call use it.

import { socketUrl } from '/staff/staff.js';

// `?processing=off` sends the microphone as it is (no echo cancellation, noise suppression or
// gain control): for headsets and for testing with recorded speech.
const processing = new URLSearchParams(location.search).get('processing') !== 'off';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

// `view` is the page's side: its <audio> (`audio`), keypad container (`keypad`) and clock
// (`timer`) elements, and what it shows: `state(state)` on each change (idle, connecting,
// connected, ended), `status(text)`, `reference(reference)` once the server names the call,
// `connected()`, and `lost`, the text when the signalling connection drops.
// Returns `call`, what the page is doing for scripts driving it (also window.hotlineCall: state,
// the call's reference, the streams), `start(prepare, refusal)` and `hangUp(text)`.
export function browserCall(view) {
  const call = { state: 'idle', reference: null, remoteStream: null, localStream: null };
  window.hotlineCall = call;
  let socket = null;
  let peer = null;
  let token = 0;
  let startedAt = null;
  let clock = null;

  function setState(state) {
    call.state = state;
    for (const key of view.keypad.querySelectorAll('button')) key.disabled = state !== 'connected';
    view.state(state);
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function tick() {
    const seconds = Math.floor((Date.now() - startedAt) / 1000);
    view.timer.textContent = Math.floor(seconds / 60) + ':' + String(seconds % 60).padStart(2, '0');
  }

  function finish(text) {
    if (clock) clearInterval(clock);
    clock = null;
    if (peer) peer.close();
    peer = null;
    const local = call.localStream;
    if (local) for (const track of local.getTracks()) track.stop();
    call.localStream = null;
    if (socket) { socket.onclose = null; socket.close(); }
    socket = null;
    setState('ended');
    view.status(text);
  }

  function hangUp(text) {
    token += 1;
    send({ type: 'hangup' });
    finish(text);
  }

  // Calls: `prepare()` answers the signalling path to call, or null when there is nothing to
  // call, and then `refusal` is shown.
  async function start(prepare, refusal) {
    if (call.state === 'connecting' || call.state === 'connected') return;
    const mine = ++token;
    call.reference = null;
    view.timer.textContent = '';
    setState('connecting');
    const path = await prepare();
    if (mine !== token) return;
    if (!path) { setState('idle'); view.status(refusal); return; }
    view.status('Connecting…');
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: processing, noiseSuppression: processing, autoGainControl: processing },
      });
    } catch (error) {
      if (mine === token) { setState('idle'); view.status('The microphone is not available: ' + error.message); }
      return;
    }
    if (mine !== token) { for (const track of stream.getTracks()) track.stop(); return; }
    call.localStream = stream;
    const connection = new RTCPeerConnection({ iceServers: [] });
    peer = connection;
    for (const track of stream.getAudioTracks()) connection.addTrack(track, stream);
    connection.ontrack = (event) => {
      const remoteStream = event.streams[0] || new MediaStream([event.track]);
      call.remoteStream = remoteStream;
      view.audio.srcObject = remoteStream;
      view.audio.play().catch(() => {});
    };
    connection.onicecandidate = (event) => {
      if (event.candidate && event.candidate.candidate) {
        send({ type: 'candidate', candidate: event.candidate.candidate, sdpMid: event.candidate.sdpMid });
      }
    };
    connection.onconnectionstatechange = () => {
      if (peer === connection && connection.connectionState === 'failed') {
        send({ type: 'hangup' });
        finish('The call could not be connected.');
      }
    };
    const signalling = new WebSocket(socketUrl(path));
    socket = signalling;
    signalling.onmessage = (event) => { if (signalling === socket) receive(JSON.parse(event.data)); };
    signalling.onclose = () => { if (signalling === socket) finish(view.lost); };
    signalling.onopen = async () => {
      const offer = await connection.createOffer();
      await connection.setLocalDescription(offer);
      send({ type: 'offer', sdp: connection.localDescription.sdp });
    };
  }

  async function receive(message) {
    switch (message.type) {
      case 'answer':
        if (peer) await peer.setRemoteDescription({ type: 'answer', sdp: message.sdp });
        break;
      case 'call':
        call.reference = message.reference;
        view.reference(message.reference);
        break;
      case 'connected':
        setState('connected');
        view.connected();
        startedAt = Date.now();
        tick();
        clock = setInterval(tick, 1000);
        break;
      case 'ended':
        finish('The call has ended.' + (message.reason && message.reason !== 'hung up' ? ' (' + message.reason + ')' : ''));
        break;
      case 'error':
        view.status(message.message);
        break;
    }
  }

  for (const key of KEYS) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = key;
    button.dataset.dtmf = key;
    button.disabled = true;
    button.addEventListener('click', () => send({ type: 'key', key }));
    view.keypad.appendChild(button);
  }
  window.addEventListener('beforeunload', () => send({ type: 'hangup' }));

  return { call, start, hangUp };
}
