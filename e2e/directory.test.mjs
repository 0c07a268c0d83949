// The public directory on the demo data: every page type passes axe-core
// (WCAG 2.1 A/AA) in German and in Arabic (right to left), a keyboard-only
// visitor gets from the search box to a result to an organisation page, and
// the map draws its markers under the real Content-Security-Policy.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
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
const MAX_TABS = 80;

describe('public directory', { timeout: 10 * TIMEOUT }, () => {
  let app;
  let browser;
  let context;
  let page;
  let shots;
  let organisation;
  let offer;
  let event;

  before(async () => {
    shots = screenshotDir();
    app = await startApp({ demo: true });
    browser = await launchBrowser();
    // bypassCSP: the app forbids inline scripts, and axe is injected as one.
    context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    // Pick real records from the public feeds of the demo.
    const hsds = await (await fetch(app.url('/api/v1/hsds/services'))).json();
    offer = hsds.contents[0].id;
    const orgs = await (await fetch(app.url('/api/v1/hsds/organizations'))).json();
    organisation = orgs.contents.find((o) => o.locations.length > 0)?.id ?? orgs.contents[0].id;
    await page.goto(app.url('/de/'));
    event = await page.locator('#upcoming-events a[href*="/events/"]').first().getAttribute('href');
    event = event.replace(/^\/de/, '');
  });

  after(async () => {
    if (process.env.MSOHUB_E2E_SHOW_LOGS && app) console.log(`--- app output ---\n${app.logs()}`);
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  async function assertNoAxeViolations(label) {
    const violations = await runAxe(page);
    assert.equal(violations.length, 0, formatViolations(label, violations));
  }

  const slug = (p) => p.replace(/^\/+|\/+$/g, '').replace(/[^\p{L}\p{N}._-]+/gu, '_') || 'root';

  for (const lang of ['de', 'ar']) {
    test(`/${lang}/: home, search, results with map, organisation, offer, event and calendar pass axe`, { timeout: 5 * TIMEOUT }, async (t) => {
      const paths = [
        '/',
        '/search',
        '/search?q=Verein',
        '/search?category=language_course&free=1',
        `/organisations/${organisation}`,
        `/offers/${offer}`,
        event,
        '/events',
        '/about',
        '/accessibility',
      ];
      for (const p of paths) {
        const target = `/${lang}${p}`;
        await t.test(target, async () => {
          const response = await page.goto(app.url(target));
          assert.equal(response.status(), 200, target);
          const html = page.locator('html');
          assert.equal(await html.getAttribute('lang'), lang);
          assert.equal(await html.getAttribute('dir'), lang === 'ar' ? 'rtl' : 'ltr');
          assert.ok((await page.locator('h1').count()) >= 1, `${target}: no <h1>`);
          await screenshot(page, shots, `directory_${slug(target)}`);
          await assertNoAxeViolations(target);
        });
      }
    });
  }

  for (const lang of ['de', 'ar']) {
    test(`/${lang}/: keyboard only from the search box to a result to the organisation page`, { timeout: TIMEOUT }, async () => {
      await page.goto(app.url(`/${lang}/search`));
      // Tab from the top of the page to the search field.
      let focused = '';
      for (let i = 0; i < MAX_TABS && focused !== 'q'; i++) {
        await page.keyboard.press('Tab');
        focused = await page.evaluate(() => document.activeElement?.id ?? '');
      }
      assert.equal(focused, 'q', 'Tab never reached the search field');
      await page.keyboard.type('Verein');
      await Promise.all([
        page.waitForURL((url) => url.pathname === `/${lang}/search` && url.searchParams.get('q') === 'Verein'),
        page.keyboard.press('Enter'),
      ]);
      const count = await page.locator('#result-list .result').count();
      assert.ok(count > 0, 'the search found nothing');
      // Tab on to the first result that is an organisation.
      let href = '';
      for (let i = 0; i < MAX_TABS && !href.includes('/organisations/'); i++) {
        await page.keyboard.press('Tab');
        href = await page.evaluate(() =>
          document.activeElement?.closest('#result-list') ? document.activeElement.getAttribute('href') ?? '' : '');
      }
      assert.ok(href.startsWith(`/${lang}/organisations/`), `Tab never reached an organisation result (last: ${href})`);
      await Promise.all([page.waitForURL((url) => url.pathname === href), page.keyboard.press('Enter')]);
      assert.equal(await page.locator('#org-title').count(), 1);
      await screenshot(page, shots, `directory_keyboard_${lang}`);
      await assertNoAxeViolations(`${href} (reached by keyboard)`);
    });
  }

  test('the map draws markers on a plain background under the real CSP', { timeout: TIMEOUT }, async () => {
    const strict = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 800 } });
    try {
      const strictPage = await strict.newPage();
      const watch = watchProblems(strictPage);
      for (const target of ['/de/search', `/ar/organisations/${organisation}`]) {
        watch.at = target;
        await strictPage.goto(app.url(target), { waitUntil: 'load' });
        await strictPage.waitForSelector('#map .leaflet-marker-icon', { timeout: 10_000 });
        const markers = await strictPage.locator('#map .leaflet-marker-icon').count();
        assert.ok(markers > 0, `${target}: no marker`);
        // No tile server is set in the demo: no tile is requested.
        assert.equal(await strictPage.locator('#map .leaflet-tile').count(), 0);
        assert.ok(await strictPage.locator('#map.directory-map--plain').count(), 'plain background');
        await screenshot(strictPage, shots, `directory_map_${slug(target)}`);
      }
      assert.equal(watch.problems.length, 0, `under the enforced CSP:\n${watch.problems.join('\n')}`);
    } finally {
      await strict.close();
    }
  });
});
