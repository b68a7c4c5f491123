// Debian's headless Chromium as the admin scripts launch it, and the sign-in form the admin
// pages share (#name, #password, #signin; the page's main section shows once signed in).

import { chromium } from 'playwright-core';

export async function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    timeout: 30_000,
    args: [
      '--autoplay-policy=no-user-gesture-required',
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

// Opens `url` in a new page of `browser`, signs in and waits for `shown` (a selector).
export async function signedInPage(browser, url, name, password, shown, timeout) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  page.setDefaultNavigationTimeout(30_000);
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(url);
  await page.fill('#name', name);
  await page.fill('#password', password);
  await page.click('#signin');
  await page.waitForSelector(shown, { timeout });
  return page;
}

// Reports a failed script the way the Rust test reads it: FAILED and the first line of the
// message on stderr, the stack after it, and exit code 1.
export function reportFailure(error) {
  console.error(`FAILED ${error && error.message ? error.message.split('\n')[0] : error}`);
  if (error && error.stack) console.error(error.stack);
  process.exitCode = 1;
}
