// Drives the compliance reviewer page (/review) in Debian's headless Chromium, as a reviewer would:
// sign in (a wrong password first), search the transcripts for some words, open the recording
// found, play it, seek by clicking the middle of the waveform, see the transcript follow, export
// the evidence zip and find the viewing, playing and exporting in the audit log.
// The Rust test runs this script and reads the lines it prints, one per step:
//   REFUSED, SIGNED_IN, FOUND <id>, OPENED <duration>, PLAYING, SEEKED <time>,
//   FOLLOWING <offset>, EXPORTED <bytes>, AUDITED, DONE
// Any failed expectation prints FAILED <message> on stderr and exits 1.
//
// Environment: REVIEW_URL (http://127.0.0.1:PORT/review), NAME, PASSWORD, SEARCH_TEXT (words in a
// transcript), SCREENSHOT (a PNG path, optional), CHROMIUM (optional, default /usr/bin/chromium).

import { chromium } from 'playwright-core';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const url = process.env.REVIEW_URL;
const name = process.env.NAME;
const password = process.env.PASSWORD;
const searchText = process.env.SEARCH_TEXT;
const timeout = 20_000;

function fail(message) { throw new Error(message); }
function step(line) { console.log(line); }

let browser;
let downloads;
try {
  if (!url || !name || !password || !searchText) fail('REVIEW_URL, NAME, PASSWORD and SEARCH_TEXT must be set');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    timeout: 30_000,
    args: [
      '--autoplay-policy=no-user-gesture-required',
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  page.setDefaultNavigationTimeout(30_000);
  page.on('pageerror', (error) => console.error('page error:', error.message));

  await page.goto(url);

  // A wrong password is refused with a message, and the review page stays hidden.
  await page.fill('#name', name);
  await page.fill('#password', password + '-wrong');
  await page.click('#signin');
  await page.waitForFunction(() => document.getElementById('signin-error').textContent.trim().length > 0, null, { timeout });
  if (await page.isVisible('#review')) fail('the review page shows after a wrong password');
  step('REFUSED');

  await page.fill('#password', password);
  await page.click('#signin');
  await page.waitForSelector('#review:not(.hidden)', { timeout });
  await page.waitForFunction(() => document.getElementById('signin-error').textContent === '', null, { timeout });
  step('SIGNED_IN');

  // Search the transcripts; wait for the rows of this search (not the listing shown at sign-in).
  await page.fill('#text', searchText);
  await page.click('#search [type=submit]');
  const row = await page.waitForFunction((words) => {
    const results = document.getElementById('results');
    if (results.getAttribute('aria-busy') === 'true' || results.dataset.text !== words) return null;
    const first = results.querySelector('tr[data-id]');
    return first ? first.dataset.id : null;
  }, searchText, { timeout: 30_000 });
  const id = await row.jsonValue();
  step(`FOUND ${id}`);

  // Open it: the call's facts, the transcript and the audio's metadata.
  await page.click(`#results tr[data-id="${id}"]`);
  await page.waitForSelector('#detail:not(.hidden)', { timeout });
  await page.waitForSelector('#transcript li[data-offset]', { timeout: 30_000 });
  const duration = await (await page.waitForFunction(() => {
    const player = document.getElementById('player');
    return player.readyState >= 1 && Number.isFinite(player.duration) && player.duration > 0 ? player.duration : null;
  }, null, { timeout: 30_000 })).jsonValue();
  step(`OPENED ${duration.toFixed(2)}`);

  // Play (muted: nobody listens in a test).
  await page.evaluate(async () => {
    const player = document.getElementById('player');
    player.muted = true;
    await player.play();
  });
  await page.waitForFunction(() => document.getElementById('player').currentTime > 0.3, null, { timeout });
  step('PLAYING');

  // Seek to the middle by clicking the waveform at half its width.
  await page.evaluate(() => {
    const player = document.getElementById('player');
    window.reviewSeekedAt = null;
    player.addEventListener('seeked', () => { window.reviewSeekedAt = player.currentTime; }, { once: true });
  });
  const box = await page.locator('#waveform').boundingBox();
  if (!box || box.width <= 0) fail('the waveform canvas has no size');
  await page.click('#waveform', { position: { x: box.width / 2, y: box.height / 2 } });
  const seekedAt = await (await page.waitForFunction(() => window.reviewSeekedAt, null, { timeout })).jsonValue();
  const middle = duration / 2;
  if (Math.abs(seekedAt - middle) > 0.15 * duration) {
    fail(`clicking the middle of the waveform sought to ${seekedAt.toFixed(2)} s, not near ${middle.toFixed(2)} s`);
  }
  try {
    await page.waitForFunction((from) => {
      const player = document.getElementById('player');
      return !player.paused && player.currentTime > from + 0.2;
    }, seekedAt, { timeout: 3_000 });
  } catch {
    const state = await page.evaluate(() => {
      const player = document.getElementById('player');
      return { paused: player.paused, currentTime: player.currentTime, readyState: player.readyState, error: player.error && player.error.message };
    });
    fail(`playback did not go on after seeking to ${seekedAt.toFixed(2)} s: ${JSON.stringify(state)}`);
  }
  step(`SEEKED ${seekedAt.toFixed(2)}`);

  // The transcript follows: the line being played is marked current.
  const offset = await (await page.waitForFunction(() => {
    const line = document.querySelector('#transcript li.current');
    if (!line) return null;
    const offset = Number(line.dataset.offset);
    return offset <= document.getElementById('player').currentTime ? offset : null;
  }, null, { timeout })).jsonValue();
  step(`FOLLOWING ${offset}`);

  // Export: a zip download.
  await page.waitForSelector('#export:not(.hidden)', { timeout });
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    page.click('#export'),
  ]);
  const failure = await download.failure();
  if (failure) fail(`the export download failed: ${failure}`);
  downloads = await mkdtemp(join(tmpdir(), 'hotline-review-'));
  const saved = join(downloads, 'export.zip');
  await download.saveAs(saved);
  const zip = await readFile(saved);
  if (zip.length < 22 || zip[0] !== 0x50 || zip[1] !== 0x4b) fail(`the export is not a zip (${zip.length} bytes)`);
  step(`EXPORTED ${zip.length}`);

  // The audit log holds the viewing, the playing and the exporting (reloaded until it does).
  await page.waitForSelector('#audit-tab:not(.hidden)', { timeout });
  await page.click('#audit-tab');
  await page.waitForSelector('#audit-view:not(.hidden)', { timeout });
  const wanted = ['view', 'play', 'export'];
  const deadline = Date.now() + 30_000;
  for (;;) {
    const actions = await page.$$eval('#audit tr[data-action]', (rows) => rows.map((row) => row.dataset.action));
    if (wanted.every((action) => actions.includes(action))) break;
    if (Date.now() > deadline) fail(`the audit log lacks ${wanted.filter((a) => !actions.includes(a)).join(', ')}; it has ${JSON.stringify(actions)}`);
    await page.waitForTimeout(500);
    await page.click('#audit-refresh');
  }
  step('AUDITED');

  if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true, timeout: 30_000 });
  step('DONE');
} catch (error) {
  console.error(`FAILED ${error && error.message ? error.message.split('\n')[0] : error}`);
  if (error && error.stack) console.error(error.stack);
  process.exitCode = 1;
} finally {
  if (browser) await browser.close().catch(() => {});
  if (downloads) await rm(downloads, { recursive: true, force: true }).catch(() => {});
}
