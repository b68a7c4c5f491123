// The agent desk's browser phone in Debian's headless Chromium: the agent signs in, turns on the
// browser phone (no SIP phone registered), and a call the Rust test (tests/webrtc.rs) places
// rings in the browser. The agent answers, hears the brief (captured to BRIEF as a WAV), accepts
// at the desk, and talks (the fake microphone plays MICROPHONE); when the test writes HANGUP,
// the agent hangs up and the wrap-up form appears.
// Printed lines: READY, RINGING, ANSWERED, CONNECTED, DONE. Any failure exits 1.
//
// Environment: DESK_URL, AGENT, PASSWORD, MICROPHONE, BRIEF, SCREENSHOT.

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
  await page.goto(process.env.DESK_URL + '?processing=off');
  await page.fill('#agent', process.env.AGENT);
  await page.fill('#password', process.env.PASSWORD);
  await page.click('#sign-in');
  await page.waitForSelector('#desk:not(.hidden)');
  // Without a phone the agent cannot be reached; the browser phone makes them available.
  await page.waitForFunction(() => document.querySelector('[data-testid=presence]').textContent.includes('no phone registered'));
  await page.click('#phone-toggle');
  await page.waitForSelector('[data-testid=softphone]:not(.hidden)');
  await page.waitForFunction(() => document.querySelector('[data-testid=presence]').textContent === 'available');
  console.log('READY');

  await page.waitForFunction(() => document.getElementById('phone-status').textContent.startsWith('Ringing'));
  assert.match(await page.textContent('#phone-status'), /billing/);
  await page.waitForSelector('[data-testid=call]:not(.hidden)');
  assert.match(await page.textContent('[data-testid=brief]'), /billing question/);
  console.log('RINGING');

  await page.click('#phone-answer');
  await page.waitForFunction(() => document.getElementById('phone-status').textContent.startsWith('On call'));
  await page.waitForFunction(() => window.hotlinePhone.remoteStream);
  await startCapture(page, 'hotlinePhone');
  console.log('ANSWERED');
  // The brief plays to the agent before they accept.
  await page.waitForTimeout(9000);
  await saveCapture(page, process.env.BRIEF, writeFileSync);
  await page.waitForFunction(() => !document.getElementById('accept').disabled);
  await page.click('#accept');
  await page.waitForFunction(() => document.getElementById('call-title').textContent === 'On call');
  console.log('CONNECTED');

  assert.equal(await test.next(), 'HANGUP');
  await page.screenshot({ path: process.env.SCREENSHOT });
  await page.click('#phone-hangup');
  await page.waitForSelector('[data-testid=wrap-up]:not(.hidden)');
  assert.equal(await page.textContent('#phone-status'), 'You hung up.');
  assert.equal(await page.isDisabled('#phone-hangup'), true);
  console.log('DONE');
} finally {
  await browser.close();
  test.close();
}
