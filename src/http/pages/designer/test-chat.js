// Trying the draft: a test of the current files, and a chat with it.

import { api, element, socketUrl } from '/staff/staff.js';
import { settleDrafts } from './drafts.js';
import { currentFiles, emit, state } from './state.js';
import { onEnter, setStatus } from './ui.js';

export async function createTest() {
  if (!state.current) { setStatus('Choose or create a flow first.', true); return null; }
  await settleDrafts();
  try {
    const result = await api('POST', '/api/admin/tests', { name: state.current.name, files: currentFiles() });
    return result.test;
  } catch (error) {
    if (error.problems) emit('files-refused', error.problems);
    setStatus('test not started: ' + error.message, true);
    return null;
  }
}

let chatSocket = null;
let chatToken = 0;

function chatLine(text, kind) {
  const log = element('test-chat-log');
  const line = document.createElement('div');
  line.className = kind;
  line.textContent = text;
  log.appendChild(line);
  log.scrollTop = log.scrollHeight;
}

export function closeTestChat() {
  chatToken += 1;
  if (!chatSocket) return;
  chatSocket.onclose = null;
  chatSocket.onmessage = null;
  chatSocket.close();
  chatSocket = null;
}

function showTurn(turn) {
  if (turn.error) { chatLine(turn.error, 'notice'); return; }
  for (const message of turn.messages || []) chatLine(typeof message === 'string' ? message : message.text ?? JSON.stringify(message), 'hotline');
  if (turn.handover) chatLine('Handover to ' + (turn.handover.group || 'an agent') + (turn.handover.reason ? ': ' + turn.handover.reason : ''), 'notice');
  if (turn.ended) chatLine('(ended)', 'notice');
}

async function startTestChat() {
  closeTestChat();
  const token = chatToken;
  element('test-chat-log').replaceChildren();
  chatLine('Starting a test of the draft…', 'notice');
  const id = await createTest();
  if (token !== chatToken) return;
  if (!id) { chatLine('The test could not start: see the problems.', 'notice'); return; }
  const socket = new WebSocket(socketUrl('/api/chat/ws?test=' + encodeURIComponent(id)));
  chatSocket = socket;
  socket.onmessage = (event) => { if (socket === chatSocket) showTurn(JSON.parse(event.data)); };
  socket.onclose = () => { if (socket === chatSocket) { chatSocket = null; chatLine('(disconnected)', 'notice'); } };
  element('test-chat-input').focus();
}

function sendTestChat() {
  const input = element('test-chat-input');
  const text = input.value.trim();
  if (!text) return;
  if (!chatSocket || chatSocket.readyState !== WebSocket.OPEN) { chatLine('Start a test chat first.', 'notice'); return; }
  chatLine(text, 'user');
  chatSocket.send(JSON.stringify({ text }));
  input.value = '';
}

element('test-chat-start').addEventListener('click', startTestChat);
element('test-chat-send').addEventListener('click', sendTestChat);
onEnter('test-chat-input', sendTestChat);
