// Calls the hotline from the "call us" page (/call) in Debian's headless Chromium, as a customer
// would: press Call, talk (Chromium's fake microphone plays MICROPHONE, a WAV), listen. What the
// page receives is captured through Web Audio at 16 kHz and written to RECEIVED as a WAV when the
// Rust test (tests/webrtc.rs) writes HANGUP to this script's stdin; then the page hangs up.
// Printed lines: CONNECTED <call reference>, then SAVED, then DONE. Any failure exits 1.
//
// Environment: CALL_URL (http://127.0.0.1:PORT/call), MICROPHONE, RECEIVED, SCREENSHOT.

import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { launchWithMicrophone, startCapture, saveCapture } from './media.mjs';
import { instructions } from './instructions.mjs';

const test = instructions();

const browser = await launchWithMicrophone(chromium, process.env.MICROPHONE);
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(60_000);
  await page.goto(process.env.CALL_URL + '?processing=off');
  assert.equal(await page.isVisible('#hangup'), false);
  await page.click('#call');
  await page.waitForFunction(() => window.hotlineCall.state === 'connected');
  await page.waitForFunction(() => window.hotlineCall.remoteStream && window.hotlineCall.reference);
  assert.equal(await page.isDisabled('#keypad button'), false);
  await startCapture(page, 'hotlineCall');
  const reference = await page.evaluate(() => window.hotlineCall.reference);
  assert.match(await page.textContent('#reference'), new RegExp(reference));
  console.log('CONNECTED ' + reference);

  assert.equal(await test.next(), 'HANGUP');
  await saveCapture(page, process.env.RECEIVED, writeFileSync);
  console.log('SAVED');
  await page.screenshot({ path: process.env.SCREENSHOT });
  await page.click('#hangup');
  await page.waitForFunction(() => window.hotlineCall.state === 'ended');
  assert.match(await page.textContent('#status'), /You hung up/);
  console.log('DONE');
} finally {
  await browser.close();
  test.close();
}
