// Watches the live operations dashboard (/admin) in Debian's headless Chromium, as a supervisor
// would, while the Rust test places a call that goes through the IVR into a queue and waits
// there too long. The Rust test reads the lines it prints, one per step:
//   LIVE, AGENTS, (reads CALLING) CALL <step>, (reads QUEUED) QUEUED <group>,
//   ALERTED <message>, (reads ENDED) UPDATED <calls today>, DONE
// Any failed expectation prints FAILED <message> on stderr and exits 1.
//
// Environment: DASHBOARD_URL (http://127.0.0.1:PORT/admin), NAME, PASSWORD (an admin or a
// supervisor), AGENT (an agent signed in), GROUP (the queue the call waits in), SCREENSHOT (a PNG
// path, optional), CHROMIUM (optional, default /usr/bin/chromium).

import { launchChromium, reportFailure, signedInPage } from './browser.mjs';
import { instructions } from './instructions.mjs';

const url = process.env.DASHBOARD_URL;
const { NAME: name, PASSWORD: password, AGENT: agent, GROUP: group } = process.env;
const timeout = 30_000;
const test = instructions();

function fail(message) { throw new Error(message); }
function step(line) { console.log(line); }

let page;

async function waitUntil(what, predicate, arg) {
  try {
    return await (await page.waitForFunction(predicate, arg, { timeout })).jsonValue();
  } catch (error) {
    if (!/Timeout/i.test(error.message)) throw error;
    const shown = await page.evaluate(() => window.hotlineDashboard?.snapshot());
    fail(`${what} did not happen within ${timeout / 1000} s; the last snapshot: ${JSON.stringify(shown)}`);
  }
}

let browser;
try {
  if (!url || !name || !password || !agent || !group) fail('DASHBOARD_URL, NAME, PASSWORD, AGENT and GROUP must be set');
  browser = await launchChromium();
  page = await signedInPage(browser, url, name, password, '#dashboard:not(.hidden)', timeout);

  // Snapshots arrive over the WebSocket, one a second.
  await waitUntil('the live connection', () => document.getElementById('live-status').textContent.includes('live')
    && window.hotlineDashboard.received() >= 2);
  step('LIVE');
  await waitUntil(`${agent} in the agents table`, (wanted) => {
    const row = document.querySelector(`#agents tr[data-agent="${wanted}"]`);
    return row && /away/i.test(row.textContent);
  }, agent);
  step('AGENTS');

  // A call in the IVR appears with the step it is in.
  await test.expect('CALLING');
  const callStep = await waitUntil('the call in the active calls', () => {
    const rows = document.querySelectorAll('#calls tbody tr[data-call]');
    const call = window.hotlineDashboard.snapshot().calls[0];
    return rows.length === 1 && document.getElementById('active-count').textContent.includes('1') && call.step ? call.step : false;
  });
  step(`CALL ${callStep}`);

  // It waits in the queue; past the threshold an alert is pushed.
  await test.expect('QUEUED');
  await waitUntil(`a caller waiting for ${group}`, (wanted) => {
    const row = document.querySelector(`#queues tr[data-group="${wanted}"]`);
    const queue = window.hotlineDashboard.snapshot().queues.find((entry) => entry.group === wanted);
    return row && queue && queue.waiting === 1
      && document.querySelector('#calls tbody tr[data-call]')?.textContent.includes('queued');
  }, group);
  step(`QUEUED ${group}`);
  const alert = await waitUntil('the long wait alert', () => {
    const item = document.querySelector('#alerts li[data-kind="long_wait"]');
    return item ? item.textContent.trim() : false;
  });
  step(`ALERTED ${alert.replace(/\s+/g, ' ')}`);

  // The caller hangs up: the call leaves the board and today's totals count it.
  await test.expect('ENDED');
  const calls = await waitUntil('the call ending', () => {
    const snapshot = window.hotlineDashboard.snapshot();
    return snapshot.calls.length === 0 && !document.querySelector('#calls tbody tr[data-call]')
      && snapshot.today.calls >= 1 && document.getElementById('total-calls').textContent.trim() === String(snapshot.today.calls)
      ? snapshot.today.calls : false;
  });
  step(`UPDATED ${calls}`);
  if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true, timeout: 30_000 });
  step('DONE');
} catch (error) {
  reportFailure(error);
} finally {
  if (browser) await browser.close().catch(() => {});
  test.close();
}
