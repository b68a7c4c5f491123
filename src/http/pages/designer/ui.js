// The designer's small page helpers: the status line, buttons, dates, re-rendering without losing
// the focus, and lists of problems.

import { element } from '/staff/staff.js';

export function setStatus(message, bad) {
  const line = element('status');
  line.textContent = message || '';
  line.classList.toggle('bad', !!bad);
}

export function makeButton(label, className, onClick) {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  if (className) button.className = className;
  if (onClick) button.addEventListener('click', onClick);
  return button;
}

export function when(value) {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

export function truncate(value, length) {
  const text = String(value ?? '');
  return text.length > length ? text.slice(0, length - 1) + '…' : text;
}

export function onEnter(id, action) {
  element(id).addEventListener('keydown', (key) => {
    if (key.key === 'Enter') { key.preventDefault(); action(); }
  });
}

export function setTextKeepingCursor(area, value) {
  if (area.value === value) return;
  if (document.activeElement !== area) { area.value = value; return; }
  const { selectionStart, selectionEnd, scrollTop } = area;
  area.value = value;
  area.setSelectionRange(Math.min(selectionStart, value.length), Math.min(selectionEnd, value.length));
  area.scrollTop = scrollTop;
}

const FOCUS_ATTRIBUTES = ['data-key', 'data-map-key', 'data-map-value', 'data-intent', 'data-add'];

// Re-renders `container` and puts the focus (and what was being typed) back where it was.
export function rerenderKeepingFocus(container, render) {
  const active = document.activeElement;
  let memo = null;
  if (active && container.contains(active)) {
    const attribute = FOCUS_ATTRIBUTES.find((name) => active.hasAttribute(name));
    if (attribute) {
      const same = [...container.querySelectorAll('[' + attribute + ']')].filter((node) => node.getAttribute(attribute) === active.getAttribute(attribute));
      const typing = active.tagName === 'TEXTAREA' || (active.tagName === 'INPUT' && active.type !== 'checkbox');
      memo = { attribute, value: active.getAttribute(attribute), index: same.indexOf(active), typing, text: active.value, start: active.selectionStart, end: active.selectionEnd };
    }
  }
  render();
  if (!memo) return;
  const same = [...container.querySelectorAll('[' + memo.attribute + ']')].filter((node) => node.getAttribute(memo.attribute) === memo.value);
  const target = same[memo.index];
  if (!target) return;
  if (memo.typing && target.value !== memo.text) target.value = memo.text;
  target.focus();
  if (memo.typing && typeof memo.start === 'number') {
    try { target.setSelectionRange(memo.start, memo.end); } catch (ignored) { /* number inputs have no selection */ }
  }
}

function problemText(problem) {
  return (problem.line > 0 ? 'line ' + problem.line : 'file')
    + (problem.step ? ' (' + problem.step + ')' : '') + ': ' + problem.message;
}

export function renderProblemList(list, problems, onPick) {
  list.replaceChildren(...problems.map((problem) => {
    const item = document.createElement('li');
    item.className = problem.severity === 'warning' ? 'warning' : 'error';
    item.textContent = problemText(problem);
    if (onPick) item.addEventListener('click', () => onPick(problem));
    return item;
  }));
}
