// What the designer knows of flow steps: their types, each type's keys and how each key is edited.

export const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;

export const STEP_TYPES = ['play', 'say', 'menu', 'collect', 'ask', 'intent', 'answer', 'lookup', 'branch', 'transfer', 'goto', 'hours', 'record', 'hangup'];

// The keys of each step type, in the order of prompts/README.md.
export const STEP_FIELDS = {
  play: ['prompt', 'next', 'barge_in'],
  say: ['text', 'next', 'barge_in'],
  menu: ['prompt', 'choices', 'phrases', 'minimum_confidence', 'timeout', 'retries', 'no_input_prompt', 'invalid_prompt', 'barge_in', 'on_failure'],
  collect: ['prompt', 'variable', 'min_digits', 'max_digits', 'terminator', 'minimum_confidence', 'timeout', 'inter_digit_timeout', 'retries', 'no_input_prompt', 'invalid_prompt', 'barge_in', 'reuse', 'next', 'on_failure'],
  ask: ['text', 'variable', 'choices', 'next', 'phrases', 'input', 'slot', 'minimum_confidence', 'timeout', 'retries', 'no_input_text', 'invalid_text', 'barge_in', 'on_failure'],
  intent: ['prompt', 'text', 'intents', 'choices', 'minimum_confidence', 'timeout', 'retries', 'no_input_prompt', 'no_input_text', 'invalid_prompt', 'invalid_text', 'barge_in', 'on_failure'],
  answer: ['next', 'on_no_answer', 'barge_in'],
  lookup: ['url', 'method', 'headers', 'body', 'timeout', 'retries', 'map', 'wait_prompt', 'wait_text', 'next', 'on_not_found', 'on_error'],
  branch: ['variable', 'cases', 'default'],
  transfer: ['group', 'reason', 'priority', 'prompt', 'text', 'on_unavailable', 'next', 'on_callback', 'on_return'],
  goto: ['target'],
  hours: ['timezone', 'windows', 'closed_dates', 'open', 'closed'],
  record: ['action', 'next'],
  hangup: ['prompt', 'reason'],
};

export const STEP_REFERENCE_KEYS = new Set(['next', 'on_failure', 'on_no_answer', 'open', 'closed', 'target', 'default', 'on_not_found', 'on_error', 'on_unavailable', 'on_callback', 'on_return']);
export const STEP_MAP_KEYS = new Set(['choices', 'intents', 'cases']);

export const FIELD_KINDS = {
  text: { kind: 'text', speech: true },
  no_input_text: { kind: 'text', speech: true },
  invalid_text: { kind: 'text', speech: true },
  wait_text: { kind: 'text', speech: true },
  body: { kind: 'multiline', placeholder: '{{"address": "{new_address}"}}' },
  prompt: { kind: 'string', placeholder: 'audio/file.wav' },
  no_input_prompt: { kind: 'string', placeholder: 'audio/no-input.wav' },
  invalid_prompt: { kind: 'string', placeholder: 'audio/invalid.wav' },
  wait_prompt: { kind: 'string', placeholder: 'audio/wait.wav' },
  url: { kind: 'string', placeholder: '{server}/demo/orders/{order_number}' },
  reason: { kind: 'string', placeholder: 'flow ended' },
  timezone: { kind: 'string', placeholder: 'America/New_York' },
  barge_in: { kind: 'bool', default: true },
  reuse: { kind: 'bool', default: false },
  minimum_confidence: { kind: 'number', step: '0.05', min: '0', max: '1', placeholder: '0.3' },
  min_digits: { kind: 'number', step: '1', min: '0', placeholder: '1' },
  max_digits: { kind: 'number', step: '1', min: '1' },
  retries: { kind: 'number', step: '1', min: '0', placeholder: '2' },
  timeout: { kind: 'string', placeholder: '5s' },
  inter_digit_timeout: { kind: 'string', placeholder: '3s' },
  terminator: { kind: 'choice', options: ['*', '#', 'A', 'B', 'C', 'D'] },
  input: { kind: 'choice', options: ['speech_and_dtmf', 'speech', 'dtmf'] },
  method: { kind: 'choice', options: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] },
  priority: { kind: 'choice', options: ['normal', 'raised', 'vip'] },
  action: { kind: 'choice', options: ['pause', 'resume'] },
  choices: { kind: 'map', values: 'step', keyPlaceholder: 'key, e.g. 1' },
  intents: { kind: 'map', values: 'step', keyPlaceholder: 'intent' },
  cases: { kind: 'map', values: 'step', keyPlaceholder: 'value' },
  map: { kind: 'map', values: 'string', keyPlaceholder: 'variable', valuePlaceholder: '/json/pointer' },
  headers: { kind: 'map', values: 'string', keyPlaceholder: 'Header', valuePlaceholder: 'value' },
  phrases: { kind: 'map', values: 'list', keyPlaceholder: 'key', valuePlaceholder: 'phrase, phrase' },
  windows: { kind: 'json', placeholder: '[{"days": ["mon", "tue"], "from": "08:00", "to": "20:00"}]' },
  closed_dates: { kind: 'list', placeholder: '2026-12-25, 2027-01-01' },
};
