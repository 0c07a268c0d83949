// The public directory on the demo data: every page type passes axe-core
// (WCAG 2.1 A/AA) in German and in Arabic (right to left), a keyboard-only
// visitor gets from the search box to a result to an organisation page, and
// the map draws its markers under the real Content-Security-Policy.

import { createServer } from 'node:http';
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
import { signInStaff } from './pages.mjs';

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

  test('without a tile server there is no map; with one, the tiles and markers load under the real CSP', { timeout: TIMEOUT }, async () => {
    // No tile server in the demo: no map, no grey box; the list stays.
    const plain = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 800 } });
    try {
      const p = await plain.newPage();
      await p.goto(app.url('/de/search'));
      assert.equal(await p.locator('#map, #map-section').count(), 0, 'a map without tiles');
      assert.ok((await p.locator('#result-list .result').count()) > 0, 'the list stays');
      await p.goto(app.url(`/de/organisations/${organisation}`));
      assert.equal(await p.locator('#map').count(), 0, 'a map without tiles on the organisation page');
    } finally {
      await plain.close();
    }

    // A tile server on loopback (one grey PNG for every tile), entered by
    // the admin on the settings page.
    const tile = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAG7buVgAAAABJRU5ErkJggg==',
      'base64',
    );
    let tilesServed = 0;
    const tiles = createServer((req, res) => {
      tilesServed++;
      res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
      res.end(tile);
    });
    await new Promise((r) => tiles.listen(0, '127.0.0.1', r));
    const admin = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 800 } });
    const strict = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 800 } });
    try {
      const a = await admin.newPage();
      await signInStaff(a, app);
      await a.goto(app.url('/app/admin/settings'));
      await a.fill('#map_tile_url', `http://127.0.0.1:${tiles.address().port}/{z}/{x}/{y}.png`);
      await a.fill('#map_attribution', 'Testkacheln');
      await Promise.all([a.waitForNavigation(), a.locator('#map_tile_url').evaluate((el) => el.form.requestSubmit())]);
      assert.equal(await a.locator('#error-summary').count(), 0, 'the settings were refused');

      const strictPage = await strict.newPage();
      const watch = watchProblems(strictPage);
      for (const target of ['/de/search', `/ar/organisations/${organisation}`]) {
        watch.at = target;
        await strictPage.goto(app.url(target), { waitUntil: 'load' });
        await strictPage.waitForSelector('#map .leaflet-marker-icon', { timeout: 10_000 });
        await strictPage.waitForSelector('#map .leaflet-tile-loaded', { timeout: 10_000 });
        assert.ok((await strictPage.locator('#map .leaflet-marker-icon').count()) > 0, `${target}: no marker`);
        await screenshot(strictPage, shots, `directory_map_${slug(target)}`);
      }
      assert.ok(tilesServed > 0, 'no tile was requested');
      assert.equal(watch.problems.length, 0, `under the enforced CSP:\n${watch.problems.join('\n')}`);
    } finally {
      // Back to the demo's settings for the tests that follow.
      const a = admin.pages()[0];
      if (a) {
        await a.goto(app.url('/app/admin/settings'));
        await a.fill('#map_tile_url', '');
        await a.fill('#map_attribution', '');
        await Promise.all([a.waitForNavigation(), a.locator('#map_tile_url').evaluate((el) => el.form.requestSubmit())]);
      }
      await strict.close();
      await admin.close();
      tiles.close();
    }
  });
});
