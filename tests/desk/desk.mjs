// Drives the agent desk (/desk) in Debian's headless Chromium, as an agent would: sign in, see the
// offered call's context pop up, accept it, hold and resume, pause and resume the recording, and
// after the call save a wrap-up.
// The Rust test (tests/desk.rs) runs this script, places the call and ends it; it reads the
// lines this script prints: READY once signed in, DONE at the end. Any failed expectation exits 1.
//
// Environment: DESK_URL (http://127.0.0.1:PORT/desk), AGENT, PASSWORD, SCREENSHOT (a PNG path).

import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

const url = process.env.DESK_URL;
const agent = process.env.AGENT;
const password = process.env.PASSWORD;
const timeout = 60_000;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(timeout);

  await page.goto(url);
  // A wrong password is refused with a message, and the desk stays hidden.
  await page.fill('#agent', agent);
  await page.fill('#password', 'not-the-password');
  await page.click('#sign-in');
  await page.waitForFunction(() => document.getElementById('login-error').textContent.length > 0);
  assert.match(await page.textContent('#login-error'), /wrong agent name or password/);

  await page.fill('#password', password);
  await page.click('#sign-in');
  await page.waitForSelector('#desk:not(.hidden)');
  await page.waitForFunction(() => document.querySelector('[data-testid=presence]').textContent === 'available');
  // The queue table lists the groups from the first status event.
  await page.waitForFunction(() => document.getElementById('queues').children.length > 0);
  console.log('READY');

  // The screen-pop: the brief, the intent, what was said, before anything is connected.
  await page.waitForSelector('[data-testid=call]:not(.hidden)');
  const brief = await page.textContent('[data-testid=brief]');
  assert.match(brief, /billing question/, brief);
  const transcript = await page.textContent('[data-testid=transcript]');
  assert.match(transcript, /Press 1 for orders or 3 for billing/, transcript);
  assert.equal(await page.textContent('#group'), 'billing');
  assert.equal(await page.isDisabled('#hold'), true);
  console.log('OFFERED');

  await page.waitForFunction(() => !document.getElementById('accept').disabled);
  await page.click('#accept');
  await page.waitForFunction(() => document.getElementById('call-title').textContent === 'On call');
  await page.waitForFunction(() => document.querySelector('[data-testid=presence]').textContent === 'on call');
  console.log('CONNECTED');

  await page.click('#hold');
  await page.waitForFunction(() => document.getElementById('call-title').textContent === 'Caller on hold');
  await page.click('#resume');
  await page.waitForFunction(() => document.getElementById('call-title').textContent === 'On call');
  console.log('RESUMED');

  // The caller is about to read out a card number: pause the recording, then resume it.
  await page.click('#recording');
  await page.waitForFunction(() => document.getElementById('recording').textContent === 'Resume recording');
  await new Promise((done) => setTimeout(done, 1500));
  await page.click('#recording');
  await page.waitForFunction(() => document.getElementById('recording').textContent === 'Pause recording');
  console.log('RECORDING_RESUMED');

  // The Rust test hangs up the agent's phone; the desk asks for the wrap-up.
  await page.waitForSelector('[data-testid=wrap-up]:not(.hidden)');
  await page.selectOption('#disposition', 'resolved');
  await page.fill('#notes', 'Explained the double charge; refund issued.');
  await page.click('#save');
  await page.waitForFunction(() => document.getElementById('saved').textContent === 'Wrap-up saved.');
  if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true });
  console.log('DONE');
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await browser.close();
}
