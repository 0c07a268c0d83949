// Layout, which axe cannot see: no page scrolls sideways on a 390 px phone
// (every public page type in all six languages, every staff and portal page
// in German), and the components that once broke are measured: the
// attendance chart, small buttons inside text, filter groups, the calendar
// and the folded menus on phones, and addresses that are not pages.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, screenshot, screenshotDir, startApp } from './app.mjs';
import {
  LANGUAGES,
  WIDTHS,
  overflow,
  portalPaths,
  publicIds,
  publicPaths,
  signInPortal,
  signInStaff,
  staffPaths,
} from './pages.mjs';

const TIMEOUT = 120_000;

describe('layout', { timeout: 20 * TIMEOUT }, () => {
  let app;
  let browser;
  let shots;
  let ids;
  const counted = { pages: 0 };

  before(async () => {
    shots = screenshotDir();
    app = await startApp({ demo: true });
    browser = await launchBrowser();
    ids = await publicIds(app);
  });

  after(async () => {
    console.log(`layout: ${counted.pages} page visits checked for sideways scrolling at 390 px`);
    await browser?.close();
    await app?.stop();
  });

  async function phone(signIn) {
    const context = await browser.newContext({ viewport: WIDTHS.phone, locale: 'de-DE' });
    const page = await context.newPage();
    if (signIn) await signIn(page, app);
    return { context, page };
  }

  async function assertFits(page, label) {
    const { over, culprits } = await overflow(page);
    counted.pages++;
    assert.equal(over, 0, `${label} scrolls sideways by ${over}px at 390 px; sticking out: ${culprits.join(', ')}`);
  }

  test('no public page type scrolls sideways at 390 px, in any of the six languages', { timeout: 6 * TIMEOUT }, async (t) => {
    const { context, page } = await phone();
    try {
      for (const lang of LANGUAGES) {
        for (const [name, path] of publicPaths(ids)) {
          const target = `/${lang}${path}`;
          await t.test(target, async () => {
            const response = await page.goto(app.url(target));
            assert.equal(response.status(), name === 'not_found' ? 404 : 200, target);
            await assertFits(page, target);
          });
        }
        // The language menu opens on screen and reaches all six languages.
        await page.goto(app.url(`/${lang}/`));
        await page.locator('.lang-menu__current').click();
        const links = page.locator('.lang-menu__list a');
        assert.equal(await links.count(), LANGUAGES.length, `/${lang}/: languages in the menu`);
        for (const box of await links.evaluateAll((as) => as.map((a) => a.getBoundingClientRect().toJSON()))) {
          assert.ok(box.left >= 0 && box.right <= 390, `/${lang}/: a language link is off screen: ${JSON.stringify(box)}`);
        }
        await assertFits(page, `/${lang}/ (language menu open)`);
      }
    } finally {
      await context.close();
    }
  });

  test('the calendar is a list on a phone and a month grid on a desktop', { timeout: TIMEOUT }, async () => {
    const { context, page } = await phone();
    try {
      await page.goto(app.url('/ar/events'));
      assert.equal(await page.locator('#calendar-grid').isVisible(), false, 'the month grid on a phone');
      assert.ok(await page.locator('#calendar-list').isVisible(), 'the list on a phone');
      await page.setViewportSize(WIDTHS.desktop);
      assert.ok(await page.locator('#calendar-grid').isVisible(), 'the month grid on a desktop');
    } finally {
      await context.close();
    }
  });

  test('right to left: German content in Arabic pages is isolated', { timeout: TIMEOUT }, async () => {
    const { context, page } = await phone();
    try {
      for (const path of ['/ar/events', '/ar/search', `/ar/organisations/${ids.organisation}`]) {
        await page.goto(app.url(path));
        const bare = await page.evaluate(() =>
          [...document.querySelectorAll('main [lang="de"]')]
            .filter((el) => !el.closest('[dir]:not(html)') && el.tagName !== 'BDI')
            .map((el) => el.outerHTML.slice(0, 80)));
        assert.deepEqual(bare, [], `${path}: German text without its own direction`);
        // Summaries and descriptions are mostly German: each sets its own direction.
        const summaries = await page.locator('main .result__summary:not([dir]), main .markdown:not([dir])').count();
        assert.equal(summaries, 0, `${path}: a summary without its own direction`);
        const times = await page.locator('main time').evaluateAll((ts) => ts.filter((t) => !t.closest('[dir]:not(html)')).length);
        assert.equal(times, 0, `${path}: a date without its own direction`);
      }
    } finally {
      await context.close();
    }
  });

  test('no staff page scrolls sideways at 390 px, and its components keep their shape', { timeout: 6 * TIMEOUT }, async (t) => {
    const { context, page } = await phone(signInStaff);
    try {
      const paths = await staffPaths(page, app);
      assert.ok(paths.length > 40, `only ${paths.length} staff pages found`);
      for (const [name, path] of paths) {
        await t.test(path, async () => {
          const response = await page.goto(app.url(path));
          assert.equal(response.status(), 200, `${name} ${path}`);
          await assertFits(page, path);
          await assertComponents(page, path);
        });
      }
      // The staff navigation folds into one control on a phone.
      await page.goto(app.url('/app/'));
      assert.ok(await page.locator('.nav-menu__toggle').isVisible(), 'the menu control on a phone');
      assert.equal(await page.locator('nav#main-nav a[href="/app/organisations"]').isVisible(), false);
      await page.locator('.nav-menu__toggle').click();
      assert.ok(await page.locator('nav#main-nav a[href="/app/organisations"]').isVisible(), 'the opened menu');
      await page.setViewportSize(WIDTHS.desktop);
      await page.goto(app.url('/app/'));
      assert.equal(await page.locator('.nav-menu__toggle').isVisible(), false, 'the menu control on a desktop');
      assert.ok(await page.locator('nav#main-nav a[href="/app/organisations"]').isVisible(), 'the list on a desktop');
      // Every component check again at desktop width, where the chart and
      // the filter columns are widest.
      for (const [, path] of paths) {
        await page.goto(app.url(path));
        await assertComponents(page, `${path} @1280`);
      }
    } finally {
      await context.close();
    }
  });

  test('addresses a person can type show a page or the translated error page', { timeout: TIMEOUT }, async () => {
    const { context, page } = await phone(signInStaff);
    try {
      for (const path of ['/app/meetings', '/app/periods']) {
        const response = await page.goto(app.url(path));
        assert.equal(response.status(), 200, path);
        assert.ok((await page.locator('h1').count()) === 1, `${path}: no heading`);
      }
      // A form's address typed into the browser: the error page, in German.
      const period = await page.locator('a[href^="/app/periods/"]').first().getAttribute('href');
      const response = await page.goto(app.url(`${period}/report/versions`));
      assert.equal(response.status(), 405);
      assert.equal((await page.locator('h1').innerText()).trim(), 'Diese Adresse ist keine Seite');
      assert.ok(response.headers().allow?.includes('POST'), 'Allow names the method');
      await screenshot(page, shots, 'layout_405_390');
    } finally {
      await context.close();
    }
  });

  test('no portal page scrolls sideways at 390 px', { timeout: 2 * TIMEOUT }, async (t) => {
    const { context, page } = await phone(signInPortal);
    try {
      for (const [name, path] of await portalPaths(page, app)) {
        await t.test(path, async () => {
          const response = await page.goto(app.url(path));
          assert.equal(response.status(), 200, `${name} ${path}`);
          await assertFits(page, path);
        });
      }
    } finally {
      await context.close();
    }
  });
});

/** The shapes of the components that once broke, measured on the page. */
async function assertComponents(page, label) {
  const problems = await page.evaluate(() => {
    const out = [];
    const box = (el) => el.getBoundingClientRect();
    // Attendance chart: bars coloured and at most 480 px high.
    for (const bar of document.querySelectorAll('.chart svg rect')) {
      const fill = getComputedStyle(bar).fill;
      if (fill === 'rgb(0, 0, 0)' || fill === 'none') out.push(`a chart bar has no colour (${fill})`);
      if (box(bar).height > 480) out.push(`a chart bar is ${Math.round(box(bar).height)} px high`);
    }
    // Small buttons inside text: the label fits its button.
    for (const btn of document.querySelectorAll('.inline-form .kern-btn, .kern-btn--x-small')) {
      const label = btn.querySelector('.kern-label') ?? btn;
      const b = box(btn);
      const l = box(label);
      if (b.width > 0 && (l.left < b.left - 1 || l.right > b.right + 1)) {
        out.push(`the label "${label.innerText.trim()}" sticks out of its button`);
      }
    }
    // Groups of checkboxes and radios: the heading above its options,
    // every option's label unclipped and on screen.
    for (const set of document.querySelectorAll('fieldset')) {
      if (set.closest('[hidden], details:not([open])') || box(set).width === 0) continue;
      const legend = set.querySelector(':scope > legend');
      const first = set.querySelector('.kern-form-check');
      if (legend && first && box(first).top < box(legend).bottom - 1) {
        out.push(`the options of "${legend.innerText.trim()}" start beside their heading, not below it`);
      }
      for (const l of set.querySelectorAll('.kern-form-check .kern-label')) {
        if (l.closest('.table-wrap, .table-scroll')) continue;
        const r = box(l);
        if (l.scrollWidth > l.clientWidth + 1 || r.right > document.documentElement.clientWidth + 1) {
          out.push(`the option "${l.innerText.trim()}" is cut off`);
        }
      }
    }
    // A section heading with nothing under it.
    for (const h of document.querySelectorAll('main section > h2:only-child')) {
      out.push(`the heading "${h.innerText.trim()}" has nothing under it`);
    }
    return out;
  });
  assert.deepEqual(problems, [], `${label}: ${problems.join('; ')}`);
}
