// The public visitor's journey through the directory, in real Chromium:
// language redirect and switcher, landmarks, every main-navigation page,
// the 404 page, keyboard access, and axe-core (WCAG 2.1 A/AA) on each page.
//
// Run: npm run e2e   (needs target/debug/msohub, or MSOHUB_BIN / MSOHUB_E2E_BASE_URL)

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  formatViolations,
  launchBrowser,
  runAxe,
  screenshot,
  screenshotDir,
  startApp,
  watchProblems,
} from './app.mjs';

const TIMEOUT = 120_000;

describe('public journey', { timeout: 10 * TIMEOUT }, () => {
  let app;
  let browser;
  let context;
  let page;
  let shots;

  before(async () => {
    shots = screenshotDir();
    console.log(`screenshots: ${shots}`);
    app = await startApp();
    browser = await launchBrowser();
    // bypassCSP: the app forbids inline scripts, and axe is injected as one.
    context = await browser.newContext({
      bypassCSP: true,
      locale: 'de-DE',
      viewport: { width: 1280, height: 800 },
    });
    page = await context.newPage();
  });

  after(async () => {
    if (process.env.MSOHUB_E2E_SHOW_LOGS && app) console.log(`--- app output ---\n${app.logs()}`);
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  const path = () => new URL(page.url()).pathname;

  async function assertNoAxeViolations(label) {
    const violations = await runAxe(page);
    assert.equal(violations.length, 0, formatViolations(label, violations));
  }

  async function assertH1(label) {
    assert.ok((await page.locator('h1').count()) >= 1, `${label}: no <h1>`);
  }

  test('/ redirects to /de/ with lang, skip link, main, h1 and main navigation', { timeout: TIMEOUT }, async () => {
    const response = await page.goto(app.url('/'));
    assert.ok(response, 'no response for /');
    const redirect = response.request().redirectedFrom();
    assert.ok(redirect, `GET / was not redirected (landed on ${page.url()})`);
    const redirectStatus = (await redirect.response())?.status();
    assert.ok(redirectStatus >= 300 && redirectStatus < 400, `redirect status ${redirectStatus}`);
    assert.equal(path(), '/de/');
    assert.equal(response.status(), 200);

    assert.equal(await page.getAttribute('html', 'lang'), 'de');
    assert.equal(await page.locator('a.skip-link[href="#main"]').count(), 1, 'skip link a.skip-link[href="#main"]');
    assert.equal(await page.locator('main#main').count(), 1, '<main id="main">');
    await assertH1('/de/');
    assert.equal(await page.locator('nav#main-nav').count(), 1, 'nav#main-nav');
    assert.ok((await page.locator('nav#main-nav a').count()) > 0, 'nav#main-nav has no links');
    await screenshot(page, shots);
  });

  test('language switcher leads from /de/ to /en/', { timeout: TIMEOUT }, async () => {
    await page.goto(app.url('/de/'));
    const nav = page.locator('nav#lang-switch');
    assert.equal(await nav.count(), 1, 'nav#lang-switch');
    assert.equal(await nav.locator('a[hreflang="de"]').count(), 1, 'a[hreflang="de"] in nav#lang-switch');
    assert.equal(await nav.locator('a[hreflang="en"]').count(), 1, 'a[hreflang="en"] in nav#lang-switch');

    // Six languages are one menu (a <details>): open it, then choose.
    const summary = nav.locator('summary');
    if ((await summary.count()) > 0) {
      assert.equal(await nav.locator('a[hreflang="en"]').isVisible(), false, 'the list is closed at first');
      await summary.click();
    }
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/en/'),
      nav.locator('a[hreflang="en"]').click(),
    ]);
    assert.equal(path(), '/en/');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await assertH1('/en/');
    await screenshot(page, shots);
  });

  test('every page in the main navigation renders and passes axe', { timeout: 5 * TIMEOUT }, async (t) => {
    // Collect first, then visit: navigating detaches the nav we read from.
    const targets = new Set();
    for (const start of ['/de/', '/en/']) {
      await page.goto(app.url(start));
      const hrefs = await page.locator('nav#main-nav a, footer.site-footer a').evaluateAll((as) => as.map((a) => a.href));
      assert.ok(hrefs.length > 0, `nav#main-nav on ${start} has no links`);
      for (const href of hrefs) {
        const url = new URL(href);
        url.hash = '';
        if (url.origin !== new URL(app.baseUrl).origin) {
          t.diagnostic(`skipping external link ${href}`);
          continue;
        }
        targets.add(url.href);
      }
    }

    for (const target of targets) {
      const label = new URL(target).pathname + new URL(target).search;
      await t.test(label, async () => {
        const response = await page.goto(target);
        assert.ok(response, `no response for ${label}`);
        assert.ok(response.status() < 400, `${label}: HTTP ${response.status()}`);
        await assertH1(label);
        await screenshot(page, shots);
        await assertNoAxeViolations(label);
      });
    }
  });

  for (const start of ['/de/', '/en/']) {
    test(`${start} passes axe`, { timeout: TIMEOUT }, async () => {
      const response = await page.goto(app.url(start));
      assert.equal(response.status(), 200);
      await assertNoAxeViolations(start);
    });
  }

  test('unknown page gives a 404 page with h1 that passes axe', { timeout: TIMEOUT }, async () => {
    const response = await page.goto(app.url('/de/does-not-exist'));
    assert.equal(response.status(), 404);
    assert.equal(await page.getAttribute('html', 'lang'), 'de');
    await assertH1('404 page');
    await screenshot(page, shots, 'de_404');
    await assertNoAxeViolations('/de/does-not-exist (404)');
  });

  test('first Tab on /de/ focuses the skip link', { timeout: TIMEOUT }, async () => {
    await page.goto(app.url('/de/'));
    await page.bringToFront();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return {
        isSkipLink: !!el && el.matches('a.skip-link[href="#main"]'),
        html: el ? el.outerHTML.slice(0, 200) : '(none)',
      };
    });
    assert.ok(focused.isSkipLink, `Tab focused ${focused.html} instead of the skip link`);
  });

  // With the CSP enforced (a context without bypassCSP): the vendored CSS,
  // fonts and scripts load, and nothing is blocked or throws.
  test('/de/ and /en/ load all assets under the real CSP without errors', { timeout: TIMEOUT }, async () => {
    const strict = await browser.newContext({ locale: 'de-DE' });
    try {
      const strictPage = await strict.newPage();
      const watch = watchProblems(strictPage);
      for (const start of ['/de/', '/en/']) {
        watch.at = start;
        await strictPage.goto(app.url(start), { waitUntil: 'load' });
        await strictPage.evaluate(() => document.fonts.ready);
      }
      assert.equal(watch.problems.length, 0, `under the enforced CSP:\n${watch.problems.join('\n')}`);
    } finally {
      await strict.close();
    }
  });
});
