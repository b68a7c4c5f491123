// The knowledge tab: the flow's articles, each checked as it is typed.

import { api, element } from '/staff/staff.js';
import { state } from './state.js';
import { makeButton, onEnter, renderProblemList, setStatus } from './ui.js';

function articleFileName(input) {
  const name = input.trim().replace(/\.md$/i, '');
  return /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(name) ? name + '.md' : null;
}

function newArticle(file) {
  const base = file.replace(/\.md$/, '').split('/').pop();
  const id = base.toLowerCase().replace(/[^a-z0-9_-]/g, '_');
  const title = base.replace(/[-_]+/g, ' ').replace(/^./, (first) => first.toUpperCase());
  return '+++\nid = "' + id + '"\ntitle = "' + title + '"\nquestions = []\nkeywords = []\n+++\nWrite the answer here in one to four plain spoken sentences.\n';
}

function renderArticleProblems(file) {
  const list = element('articles').querySelector('.article[data-article-file="' + CSS.escape(file) + '"] .problem-list');
  if (list) renderProblemList(list, state.knowledgeProblems[file] || []);
}

function checkArticle(file) {
  const check = state.articleChecks[file] ||= { timer: 0, sequence: 0 };
  clearTimeout(check.timer);
  check.timer = 0;
  const sequence = ++check.sequence;
  const generation = state.filesGeneration;
  api('POST', '/api/admin/knowledge/draft', { file, text: state.files.knowledge[file] ?? '' })
    .then((result) => {
      if (generation !== state.filesGeneration || check.sequence !== sequence || !(file in state.files.knowledge)) return;
      state.knowledgeProblems[file] = result.problems || [];
      renderArticleProblems(file);
    })
    .catch((error) => {
      if (generation !== state.filesGeneration || check.sequence !== sequence) return;
      state.knowledgeProblems[file] = error.problems || [{ line: 0, step: null, severity: 'error', message: error.message }];
      renderArticleProblems(file);
    });
}

function checkArticleLater(file) {
  const check = state.articleChecks[file] ||= { timer: 0, sequence: 0 };
  clearTimeout(check.timer);
  check.timer = setTimeout(() => checkArticle(file), 400);
}

function buildArticle(file) {
  const wrap = document.createElement('div');
  wrap.className = 'article';
  wrap.dataset.articleFile = file;
  const head = document.createElement('header');
  const title = document.createElement('strong');
  title.textContent = file;
  const remove = makeButton('Remove', 'small danger remove-article', () => removeArticle(file));
  remove.dataset.removeArticle = file;
  head.append(title, remove);
  const area = document.createElement('textarea');
  area.className = 'code';
  area.dataset.article = file;
  area.spellcheck = false;
  area.value = state.files.knowledge[file];
  area.addEventListener('input', () => { state.files.knowledge[file] = area.value; checkArticleLater(file); });
  area.addEventListener('change', () => { state.files.knowledge[file] = area.value; checkArticle(file); });
  const problems = document.createElement('ul');
  problems.className = 'problem-list';
  wrap.append(head, area, problems);
  return wrap;
}

export function renderKnowledgeEditor() {
  const names = Object.keys(state.files.knowledge).sort();
  const items = names.map(buildArticle);
  if (!items.length) {
    const none = document.createElement('p');
    none.className = 'muted';
    none.textContent = 'No articles.';
    items.push(none);
  }
  element('articles').replaceChildren(...items);
  for (const name of names) renderArticleProblems(name);
}

// Shows the articles of files just loaded, and has the server check them.
export function loadArticles() {
  renderKnowledgeEditor();
  if (state.current) for (const file of Object.keys(state.files.knowledge)) checkArticle(file);
}

function addArticle() {
  if (!state.current) { setStatus('Choose or create a flow first.', true); return; }
  const file = articleFileName(element('add-article-name').value);
  if (!file) { setStatus('An article file name is letters, digits, _ and - (ending in .md).', true); return; }
  if (file in state.files.knowledge) { setStatus(file + ' exists already.', true); return; }
  state.files.knowledge[file] = newArticle(file);
  element('add-article-name').value = '';
  renderKnowledgeEditor();
  checkArticle(file);
  const area = element('articles').querySelector('textarea[data-article="' + CSS.escape(file) + '"]');
  if (area) area.focus();
}

function removeArticle(file) {
  delete state.files.knowledge[file];
  delete state.knowledgeProblems[file];
  if (state.articleChecks[file]) clearTimeout(state.articleChecks[file].timer);
  delete state.articleChecks[file];
  renderKnowledgeEditor();
  setStatus('removed ' + file + ' from the draft');
}

element('add-article').addEventListener('click', addArticle);
onEnter('add-article-name', addArticle);
