// Drives the admin's flow designer page (/admin/flows) in Debian's headless Chromium, as an admin
// would: sign in, build a new flow from the minimal template with the step editor (watching the
// draft being checked as it is typed), hear a text in the server voice, save and publish v1, try
// it in the test chat; then turn its first step into a question with a choice leading to a new
// step, give the flow an intent and a knowledge article, save and publish v2 and read its diff;
// finally roll back to v1. Between the publications
// the Rust test places SIP calls to the flow's number and writes NEXT when it is done.
// The Rust test reads the lines it prints, one per step:
//   SIGNED_IN, VALIDATED, PREVIEWED played|unavailable, PUBLISHED 1, CHATTED,
//   (reads NEXT) PUBLISHED 2, (reads NEXT) ROLLED_BACK 1, (reads NEXT) DONE
// Any failed expectation prints FAILED <message> on stderr and exits 1.
//
// Environment: DESIGNER_URL (http://127.0.0.1:PORT/admin/flows), NAME, PASSWORD (an admin), FLOW
// (the new flow's name, e.g. promo), SCREENSHOT (a PNG path, optional), CHROMIUM (optional,
// default /usr/bin/chromium).

import { launchChromium, reportFailure, signedInPage } from './browser.mjs';
import { instructions } from './instructions.mjs';
import { isDeepStrictEqual } from 'node:util';

const url = process.env.DESIGNER_URL;
const name = process.env.NAME;
const password = process.env.PASSWORD;
const flow = process.env.FLOW;
const timeout = 20_000;

const SPRING = 'Welcome to the spring sale.';
const SUMMER = 'Welcome to the summer sale. Press 1 for our offers.';
const OFFERS = 'Summer offers are forty percent off.';

function fail(message) { throw new Error(message); }
function step(line) { console.log(line); }

const test = instructions();
const ARTICLE = '+++\nid = "summer_sale"\ntitle = "The summer sale"\nquestions = ["when does the sale end", "what is on sale"]\nkeywords = ["sale"]\n+++\nThe summer sale runs until the end of August, with forty percent off outdoor gear.\n';

let page;

// What the page shows about the draft, for failure messages.
async function pageState() {
  return page.evaluate(() => ({
    status: document.getElementById('status').textContent,
    validity: document.getElementById('validity').textContent,
    problems: [...document.querySelectorAll('#problems li')].map((item) => item.textContent),
    selected: window.hotlineDesigner.selected(),
  })).catch(() => ({}));
}

// Waits for `predicate(arg)` in the page to be truthy, failing with `what` and the page's state.
async function waitUntil(what, predicate, arg, wait = timeout) {
  try {
    return await (await page.waitForFunction(predicate, arg, { timeout: wait })).jsonValue();
  } catch (error) {
    if (!/Timeout/i.test(error.message)) throw error;
    fail(`${what} did not happen within ${wait / 1000} s; the page shows ${JSON.stringify(await pageState())}`);
  }
}

// Lets every draft request and edit come back from the server.
async function settle() {
  await page.evaluate(() => window.hotlineDesigner.idle());
}

async function expectValid() {
  await settle();
  await waitUntil('the draft being valid', () => {
    const validity = document.getElementById('validity');
    return validity.textContent === 'valid' && validity.classList.contains('valid');
  });
}

async function selectNode(stepName) {
  await page.click(`#graph g.node[data-step="${stepName}"]`);
  await waitUntil(`selecting ${stepName}`, (wanted) => window.hotlineDesigner.selected() === wanted
    && document.getElementById('step-name').value === wanted, stepName);
}

// Sets a field of the selected step in the step editor (a text box is committed on leaving it,
// a select on change) and waits for the draft to come back with it.
async function setField(key, value) {
  const control = page.locator(`#step-fields [data-key="${key}"]`);
  if (await control.evaluate((node) => node.tagName) === 'SELECT') {
    await control.selectOption(value);
  } else {
    await control.fill(value);
    await control.blur();
  }
  await settle();
  const shown = await page.locator(`#step-fields [data-key="${key}"]`).inputValue();
  if (shown !== value) fail(`the step's ${key} shows ${JSON.stringify(shown)} after setting it to ${JSON.stringify(value)}`);
}

// The step table of the current draft, as the server parsed it.
async function draftStep(stepName) {
  return page.evaluate(async ([flowName, wanted]) => {
    const response = await fetch('/api/admin/flows/draft', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: flowName, source: window.hotlineDesigner.source() }),
    });
    const draft = await response.json();
    return draft.document && draft.document.steps ? draft.document.steps[wanted] : null;
  }, [flow, stepName]);
}

async function graphShape() {
  return page.evaluate(() => ({
    nodes: [...document.querySelectorAll('#graph g.node')].map((node) => node.dataset.step),
    edges: [...document.querySelectorAll('#graph path.edge')].map((edge) => edge.dataset.from + '->' + edge.dataset.to),
  }));
}

async function saveVersion(note, number) {
  await page.fill('#note', note);
  await page.click('#save');
  await waitUntil(`saving v${number}`, (wanted) => !!document.querySelector(`#versions li[data-version="${wanted}"]`), number);
  const shownNote = await page.textContent(`#versions li[data-version="${number}"]`);
  if (!shownNote.includes(note)) fail(`v${number} is listed without its note: ${JSON.stringify(shownNote)}`);
}

async function publish(number) {
  await page.click(`#versions li[data-version="${number}"] button.publish`);
  await waitForPublished(number, `publishing v${number}`);
}

async function waitForPublished(number, what) {
  await waitUntil(what, (wanted) => document.getElementById('published').textContent.trim() === 'published v' + wanted
    && !!document.querySelector(`#versions li.live[data-version="${wanted}"]`), number);
}

let browser;
try {
  if (!url || !name || !password || !flow) fail('DESIGNER_URL, NAME, PASSWORD and FLOW must be set');
  browser = await launchChromium();
  page = await signedInPage(browser, url, name, password, '#designer:not(.hidden)', timeout);
  await waitUntil('the flow list loading', () => !!document.querySelector('#flow-list option[value]:not([value=""])'));
  step('SIGNED_IN');

  // 2. A new flow from the minimal template (hello says something, goodbye hangs up), its text
  // set in the step editor.
  await page.fill('#new-flow-name', flow);
  await page.click('#new-flow');
  const opened = await waitUntil(`the new flow ${flow} opening`, (wanted) => {
    const status = document.getElementById('status');
    if (status.classList.contains('bad')) return 'refused: ' + status.textContent;
    return document.getElementById('flow-list').value === wanted
      && !!document.querySelector('#graph g.node[data-step="hello"]') && 'opened';
  }, flow);
  if (opened !== 'opened') fail(`the new flow ${flow} was ${opened}`);
  await settle();
  await selectNode('hello');
  await setField('text', SPRING);
  await expectValid();
  const first = await graphShape();
  if (first.nodes.length !== 2 || !first.nodes.includes('hello') || !first.nodes.includes('goodbye')) {
    fail(`the graph should hold hello and goodbye, it holds ${JSON.stringify(first.nodes)}`);
  }
  if (!first.edges.includes('hello->goodbye')) fail(`the graph has no edge hello->goodbye: ${JSON.stringify(first.edges)}`);
  const good = await page.inputValue('#source');
  if (!good.includes(`text = "${SPRING}"`)) fail(`the source lacks the new text:\n${good}`);

  // The source is checked as it is typed: a step that does not exist is reported, then fixed.
  if (!good.includes('next = "goodbye"')) fail(`the source has no next = "goodbye":\n${good}`);
  await page.fill('#source', good.replace('next = "goodbye"', 'next = "nowhere"'));
  await waitUntil('a problem about "nowhere" showing', () => {
    const validity = document.getElementById('validity');
    return [...document.querySelectorAll('#problems li.error')].some((item) => item.textContent.includes('nowhere'))
      && validity.classList.contains('invalid') && /error/.test(validity.textContent);
  });
  await page.fill('#source', good);
  await expectValid();
  if ((await page.$$('#problems li.error')).length) fail('errors are still listed after the source was fixed');
  step('VALIDATED');

  // 3. Hear the text in the server voice (or learn that speech synthesis is off).
  await page.click('#preview-speech');
  const preview = await waitUntil('the spoken preview', () => {
    const audio = document.getElementById('preview-audio');
    const message = document.getElementById('preview-message').textContent;
    if (audio.getAttribute('src') && audio.readyState >= 1 && audio.duration > 0) return 'played';
    if (message && message !== 'Synthesising…') return 'message: ' + message;
    return null;
  }, null, 60_000);
  if (preview === 'played') {
    await waitUntil('the preview playing', () => {
      const audio = document.getElementById('preview-audio');
      return audio.currentTime > 0 || audio.ended;
    });
    step('PREVIEWED played');
  } else if (/speech synthesis is off/i.test(preview)) {
    step('PREVIEWED unavailable');
  } else {
    fail(`the preview failed: ${preview}`);
  }

  // 4. Save v1 and publish it.
  await saveVersion('spring sale', 1);
  await publish(1);
  step('PUBLISHED 1');

  // The test chat runs the draft: it says the text and hangs up.
  await page.click('#test-chat-start');
  await waitUntil('the test chat saying the spring sale', () => [...document.querySelectorAll('#test-chat-log .hotline')]
    .some((line) => line.textContent.includes('spring sale')), null, 30_000);
  step('CHATTED');

  // 5. The Rust test calls the flow's number.
  await test.expect('NEXT');

  // 6. Version 2: a new step offers, and hello turned into a question whose choice 1 leads there.
  await page.fill('#add-step-name', 'offers');
  await page.selectOption('#add-step-type', 'say');
  await page.click('#add-step');
  await settle();
  await waitUntil('the new step offers being selected', () => window.hotlineDesigner.selected() === 'offers'
    && !!document.querySelector('#graph g.node[data-step="offers"]'));
  await setField('text', OFFERS);
  await setField('next', 'goodbye');

  await selectNode('hello');
  await page.selectOption('#step-type', 'ask');
  await settle();
  await waitUntil('the ask step form', () => document.getElementById('step-type').value === 'ask'
    && !!document.querySelector('#step-fields [data-add="choices"]'));
  await setField('text', SUMMER);
  await page.click('#step-fields [data-add="choices"]');
  const row = page.locator('#step-fields [data-field="choices"] .map-row').last();
  await row.locator('[data-map-key="choices"]').fill('1');
  await row.locator('[data-map-value="choices"]').selectOption('offers');
  await settle();
  await setField('timeout', '30s');
  await setField('on_failure', 'goodbye');
  await expectValid();

  const hello = await draftStep('hello');
  const wantedHello = { type: 'ask', text: SUMMER, choices: { 1: 'offers' }, timeout: '30s', on_failure: 'goodbye' };
  if (!isDeepStrictEqual(hello, wantedHello)) {
    fail(`the hello step is ${JSON.stringify(hello)}, not ${JSON.stringify(wantedHello)}`);
  }
  const offers = await draftStep('offers');
  if (!offers || offers.type !== 'say' || offers.text !== OFFERS || offers.next !== 'goodbye') {
    fail(`the offers step is ${JSON.stringify(offers)}`);
  }
  const second = await graphShape();
  for (const edge of ['hello->offers', 'hello->goodbye', 'offers->goodbye']) {
    if (!second.edges.includes(edge)) fail(`the graph has no edge ${edge}: ${JSON.stringify(second.edges)}`);
  }

  // The flow's own intents and a knowledge article, managed in their tabs and checked as typed.
  await page.click('#tab-intents');
  await page.click('#create-intents');
  await settle();
  await page.fill('#add-intent-name', 'sale_question');
  await page.click('#add-intent');
  await settle();
  const examples = page.locator('textarea[data-intent="sale_question"]');
  await examples.fill('what offers do you have\nis anything on sale\nwhat is discounted this week');
  await examples.blur();
  await settle();
  await waitUntil('the intents checked clean', () => (window.hotlineDesigner.draft().intents || '').includes('is anything on sale')
    && !document.querySelector('#intents-problems li.error'));
  await page.click('#tab-knowledge');
  await page.fill('#add-article-name', 'summer-sale');
  await page.click('#add-article');
  const article = page.locator('textarea[data-article="summer-sale.md"]');
  await article.fill(ARTICLE);
  await article.blur();
  await waitUntil('the article checked clean', () => (window.hotlineDesigner.draft().knowledge['summer-sale.md'] || '').includes('end of August')
    && !document.querySelector('.article[data-article-file="summer-sale.md"] .problem-list li'));
  await page.click('#tab-source');

  await saveVersion('summer sale', 2);
  await publish(2);
  await page.click('#versions li[data-version="2"] button.diff');
  await waitUntil('the diff of v2 adding type = "ask"', () => !document.getElementById('diff-section').classList.contains('hidden')
    && [...document.querySelectorAll('#diff .added')].some((line) => line.textContent.includes('type = "ask"')));
  step('PUBLISHED 2');

  // 7. The Rust test starts a call on v2 and keeps it going.
  await test.expect('NEXT');

  // 8. Roll back: v1 is live again.
  await page.click('#rollback');
  await waitForPublished(1, 'rolling back to v1');
  step('ROLLED_BACK 1');

  // 9. The Rust test checks the calls, then we are done.
  await test.expect('NEXT');
  if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true, timeout: 30_000 });
  step('DONE');
} catch (error) {
  reportFailure(error);
} finally {
  if (browser) await browser.close().catch(() => {});
  test.close();
}
