// The MSO portal (/portal/{lang}/…) in real Chromium, against
// `msohub serve --demo`: the sign-in pages, signing in as a representative,
// every page a representative has in German and in Arabic (right to left) at
// desktop width (1280 px) and on a phone (390 px) — axe-core (WCAG 2.1 A/AA),
// one h1, html[lang] and dir, no horizontal scrolling — reporting a need
// (first empty: the errors are shown and linked), and signing out.
//
// Run: npm run e2e   (needs target/debug/msohub, or MSOHUB_BIN / MSOHUB_E2E_BASE_URL;
// an external instance must have been started with --demo)

import assert from 'node:assert/strict';
import net from 'node:net';
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

// The demo representatives (`msohub serve --demo`).
const PASSWORD = 'Lindenau-Demo-2026';
const REPRESENTATIVE = { email: 'ayse.almasri@mail.example', lang: 'de' };

const WIDTHS = [
  { name: '1280', viewport: { width: 1280, height: 800 } },
  { name: '390', viewport: { width: 390, height: 844 } },
];
const LANGS = ['de', 'ar'];
// A message missing from the locale files shows as its id (Tr::t); any id
// on a page fails the test (add known gaps here only with a reason).
const KNOWN_MISSING_MESSAGES = new Set([]);
const MESSAGE_ID = /\b(?:portal|nav|field|skip|footer)-[a-z0-9_]+(?:-[a-z0-9_]+)*\b/g;
const PHONE = WIDTHS[1].viewport;
const DESKTOP = WIDTHS[0].viewport;

describe('MSO portal', { timeout: 10 * TIMEOUT }, () => {
  let app;
  let browser;
  let context;
  let page;
  let shots;
  // The representative's organisation (from /portal/de/entry).
  let organisationId;

  before(async () => {
    shots = screenshotDir();
    console.log(`screenshots: ${shots}`);
    app = await startApp({ demo: true });
    browser = await launchBrowser();
    // bypassCSP: the app forbids inline scripts, and axe is injected as one.
    context = await browser.newContext({ bypassCSP: true, locale: 'de-DE', viewport: DESKTOP });
    page = await context.newPage();
  });

  after(async () => {
    if (process.env.MSOHUB_E2E_SHOW_LOGS && app) console.log(`--- app output ---\n${app.logs()}`);
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  const path = (p = page) => new URL(p.url()).pathname;
  const pathAndSearch = (p = page) => {
    const url = new URL(p.url());
    return url.pathname + url.search;
  };

  /**
   * What every portal page must hold: axe without violations, exactly one
   * h1, the language and direction on <html>, and nothing wider than the
   * window (no horizontal scrolling). Takes the screenshot first, so that a
   * failing page can still be looked at.
   */
  async function checkPage(p, label, lang, shot) {
    await p.evaluate(() => document.fonts.ready);
    await screenshot(p, shots, shot);
    assert.equal(await p.getAttribute('html', 'lang'), lang, `${label}: html[lang]`);
    const dir = await p.getAttribute('html', 'dir');
    if (lang === 'ar') assert.equal(dir, 'rtl', `${label}: html[dir]`);
    else assert.notEqual(dir, 'rtl', `${label}: html[dir]`);
    const h1s = await p.locator('h1').allInnerTexts();
    assert.equal(h1s.length, 1, `${label}: ${h1s.length} <h1> (${JSON.stringify(h1s)}), expected exactly one`);
    assert.ok(h1s[0].trim().length > 0, `${label}: the <h1> is empty`);
    await assertNoHorizontalScroll(p, label);
    const text = await p.evaluate(() => `${document.title}\n${document.body.innerText}`);
    const ids = [...new Set(text.match(MESSAGE_ID) ?? [])];
    const unknown = ids.filter((id) => !KNOWN_MISSING_MESSAGES.has(id));
    assert.deepEqual(unknown, [], `${label}: untranslated message ids on the page: ${unknown.join(', ')}`);
    const violations = await runAxe(p);
    assert.equal(violations.length, 0, formatViolations(label, violations));
  }

  /**
   * No horizontal scrolling: scrollWidth <= innerWidth, and (stricter, where
   * the browser shows a classic scroll bar) <= the width the page lays out
   * in (clientWidth). Else names the outermost elements that stick out.
   */
  async function assertNoHorizontalScroll(p, label) {
    const m = await p.evaluate(() => {
      const root = document.documentElement;
      const width = root.clientWidth;
      const wide = [];
      for (const el of document.querySelectorAll('body *')) {
        if (!el.checkVisibility({ visibilityProperty: true })) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        if (r.right > width + 0.5 || r.left < -0.5) {
          if (wide.some((w) => w.el.contains(el))) continue;
          const name =
            el.tagName.toLowerCase() +
            (el.id ? `#${el.id}` : '') +
            (typeof el.className === 'string' && el.className.trim()
              ? '.' + el.className.trim().split(/\s+/).join('.')
              : '');
          const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 30);
          wide.push({ el, text: `${name} "${text}" [${Math.round(r.left)}..${Math.round(r.right)}]` });
        }
      }
      return {
        scrollWidth: root.scrollWidth,
        clientWidth: width,
        innerWidth: window.innerWidth,
        wide: wide.slice(0, 8).map((w) => w.text),
      };
    });
    const why = `sticking out: ${m.wide.join(', ') || '(none found)'}`;
    assert.ok(
      m.scrollWidth <= m.innerWidth,
      `${label}: scrolls sideways (scrollWidth ${m.scrollWidth} > innerWidth ${m.innerWidth}); ${why}`,
    );
    assert.ok(
      m.scrollWidth <= m.clientWidth,
      `${label}: scrolls sideways (scrollWidth ${m.scrollWidth} > clientWidth ${m.clientWidth}, ` +
        `innerWidth ${m.innerWidth}); ${why}`,
    );
  }

  test('the sign-in pages (de, ar) pass axe and fit 1280 and 390 px', { timeout: TIMEOUT }, async (t) => {
    const anonymous = await browser.newContext({ bypassCSP: true, locale: 'de-DE', viewport: DESKTOP });
    try {
      const p = await anonymous.newPage();
      for (const { name, viewport } of WIDTHS) {
        await p.setViewportSize(viewport);
        for (const lang of LANGS) {
          const label = `/portal/${lang}/login @${name}`;
          await t.test(label, async () => {
            const response = await p.goto(app.url(`/portal/${lang}/login`));
            assert.equal(response.status(), 200, `${label}: HTTP ${response.status()}`);
            assert.equal(await p.locator('#login-form #email').count(), 1, `${label}: #email`);
            assert.equal(await p.locator('#login-form #password').count(), 1, `${label}: #password`);
            assert.equal(await p.locator('#link-form #link-email').count(), 1, `${label}: #link-email`);
            assert.equal(await p.locator('.user-box__name').count(), 0, `${label}: shows a signed-in user`);
            await checkPage(p, label, lang, `portal_${lang}_login_${name}`);
          });
        }
      }
      // The language menu opened on the phone, in Arabic: the list stays on screen.
      await p.setViewportSize(PHONE);
      await p.goto(app.url('/portal/ar/login'));
      const menu = p.locator('nav#lang-switch');
      await menu.locator('summary').click();
      const de = menu.locator('a[hreflang="de"]');
      await de.waitFor({ state: 'visible' });
      await screenshot(p, shots, 'portal_ar_login_390_language_menu');
      const box = await menu.locator('.lang-menu__list').boundingBox();
      assert.ok(
        box && box.x >= 0 && box.x + box.width <= PHONE.width,
        `the open language menu on /portal/ar/login at 390 px is off screen: ${JSON.stringify(box)}`,
      );
      await assertNoHorizontalScroll(p, '/portal/ar/login @390 (language menu open)');
      await Promise.all([p.waitForURL((url) => url.pathname === '/portal/de/login'), de.click()]);
      assert.equal(await p.getAttribute('html', 'lang'), 'de');
    } finally {
      await anonymous.close();
    }
  });

  test('a wrong password shows the error summary on the portal sign-in page', { timeout: TIMEOUT }, async () => {
    const anonymous = await browser.newContext({ bypassCSP: true, locale: 'de-DE', viewport: PHONE });
    try {
      const p = await anonymous.newPage();
      await p.goto(app.url('/portal/de/login'));
      await p.fill('#email', REPRESENTATIVE.email);
      await p.fill('#password', 'definitely-not-the-password');
      const [response] = await Promise.all([
        p.waitForNavigation(),
        p.locator('#login-form button[type="submit"]').click(),
      ]);
      assert.equal(response?.status(), 401, `wrong password: HTTP ${response?.status()}`);
      assert.equal(path(p), '/portal/de/login');
      const summary = p.locator('#error-summary');
      assert.ok(await summary.isVisible(), '#error-summary is not visible after a wrong password');
      assert.equal(await p.inputValue('#email'), REPRESENTATIVE.email, 'the e-mail address is kept');
      await checkPage(p, '/portal/de/login (wrong password) @390', 'de', 'portal_de_login_error_390');
    } finally {
      await anonymous.close();
    }
  });

  test('a representative signs in at /portal/de/login and lands on /portal/de/', { timeout: TIMEOUT }, async () => {
    const response = await page.goto(app.url('/portal/de/login'));
    assert.equal(response.status(), 200);
    await page.fill('#email', REPRESENTATIVE.email);
    await page.fill('#password', PASSWORD);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/portal/de/'),
      page.locator('#login-form button[type="submit"]').click(),
    ]);
    assert.equal(pathAndSearch(), '/portal/de/');
    assert.equal(await page.locator('h1#hello').count(), 1, 'h1#hello on the portal start page');
    assert.ok((await page.locator('.user-box__name').innerText()).trim().length > 0, '.user-box__name');
    const nav = await page.locator('nav#main-nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const expected of ['/', '/entry', '/needs', '/ideas', '/surveys', '/meetings', '/me']) {
      assert.ok(nav.includes(`/portal/de${expected}`), `nav#main-nav lacks /portal/de${expected}: ${nav.join(', ')}`);
    }

    // /entry leads to the one organisation's form (or lists several).
    await page.goto(app.url('/portal/de/entry'));
    if (!/^\/portal\/de\/entry\/[^/]+$/.test(path())) {
      const first = page.locator('#organisations a').first();
      await Promise.all([page.waitForURL(/\/portal\/de\/entry\/[^/]+$/), first.click()]);
    }
    organisationId = path().split('/').pop();
    assert.equal(await page.locator('form#entry-form').count(), 1, `form#entry-form at ${path()}`);
  });

  test('every portal page in German and Arabic passes axe and fits 1280 and 390 px', { timeout: 5 * TIMEOUT }, async (t) => {
    assert.ok(organisationId, 'signed in and found the organisation');
    const watch = watchProblems(page);
    // The first and the last meeting listed (a past one with minutes, an
    // upcoming one with the answer form), if the representative has any.
    await page.goto(app.url('/portal/de/meetings'));
    const meetingHrefs = await page
      .locator('#meetings a[href*="/meetings/"]')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const meetings = [...new Set([meetingHrefs[0], meetingHrefs.at(-1)].filter(Boolean))].map(
      (href) => `/meetings/${href.split('/').pop()}`,
    );
    if (meetings.length === 0) t.diagnostic('no meeting listed for the representative: no meeting page is visited');
    // The demo's needs survey, as the representative answers it.
    await page.goto(app.url('/portal/de/surveys'));
    const surveyHref = await page.locator('#surveys a').first().getAttribute('href');
    assert.ok(surveyHref, 'the demo survey is listed at /portal/de/surveys');
    const survey = surveyHref.replace(/^\/portal\/de/, '');

    const pages = [
      ['home', '/'],
      ['entry_list', '/entry'],
      ['entry', `/entry/${organisationId}`],
      ['offer_new', `/entry/${organisationId}/offers/new`],
      ['event_new', `/entry/${organisationId}/events/new`],
      ['needs', '/needs'],
      ['ideas', '/ideas'],
      ['surveys', '/surveys'],
      ['survey', survey],
      ['meetings', '/meetings'],
      ...meetings.map((m, i) => [`meeting${i + 1}`, m]),
      ['me', '/me'],
    ];
    for (const { name: width, viewport } of WIDTHS) {
      await page.setViewportSize(viewport);
      for (const lang of LANGS) {
        for (const [name, rest] of pages) {
          const target = `/portal/${lang}${rest}`;
          const label = `${target} @${width}`;
          await t.test(label, async () => {
            watch.at = label;
            const response = await page.goto(app.url(target));
            assert.ok(response, `no response for ${label}`);
            assert.equal(response.status(), 200, `${label}: HTTP ${response.status()}`);
            assert.ok(
              path().startsWith(`/portal/${lang}/`) && !path().endsWith('/login'),
              `${label} went to ${page.url()}`,
            );
            await checkPage(page, label, lang, `portal_${lang}_${name}_${width}`);
            const current = await page.locator('nav#main-nav a[aria-current="page"]').allInnerTexts();
            assert.equal(current.length, 1, `${label}: links marked as the current page: ${current.join(', ')}`);
          });
        }
      }
    }
    assert.equal(watch.problems.length, 0, `while visiting the portal pages:\n${watch.problems.join('\n')}`);
  });

  test("a survey's personal link opens without an account in German and Arabic at 1280 and 390 px", { timeout: 2 * TIMEOUT }, async (t) => {
    // Staff read an organisation's link (as they would to pass it on).
    const staff = await browser.newContext({ locale: 'de-DE', viewport: DESKTOP });
    const sp = await staff.newPage();
    await sp.goto(app.url('/login'));
    await sp.fill('input[name="email"]', 'm.berger@ki-lindenau.example');
    await sp.fill('input[name="password"]', PASSWORD);
    await Promise.all([sp.waitForNavigation(), sp.locator('form[action="/login"] button[type="submit"]').click()]);
    const surveys = await (await sp.request.get(app.url('/api/v1/surveys'))).json();
    const sent = surveys.items.find((s) => s.sent_at);
    assert.ok(sent, 'the demo has a sent survey');
    const recipients = await (await sp.request.get(app.url(`/api/v1/surveys/${sent.id}/recipients`))).json();
    assert.ok(recipients.items.length > 0, 'the survey went to organisations');
    const org = recipients.items[0].organisation.id;
    const link = await (await sp.request.get(app.url(`/api/v1/surveys/${sent.id}/links/${org}`))).json();
    const token = link.url.split('/survey-link/')[1];
    assert.ok(token, `a personal link: ${link.url}`);
    await staff.close();

    const anonymous = await browser.newContext({ bypassCSP: true, locale: 'de-DE', viewport: DESKTOP });
    const p = await anonymous.newPage();
    for (const { name: width, viewport } of WIDTHS) {
      await p.setViewportSize(viewport);
      for (const lang of LANGS) {
        const target = `/portal/${lang}/survey-link/${token}`;
        const label = `/portal/${lang}/survey-link/… @${width}`;
        await t.test(label, async () => {
          const response = await p.goto(app.url(target));
          assert.equal(response?.status(), 200, `${label}: HTTP ${response?.status()}`);
          assert.equal(await p.locator('form#survey-form').count(), 1, `${label}: the answer form`);
          assert.equal(await p.locator('#link-note').count(), 1, `${label}: the note on the personal link`);
          await checkPage(p, label, lang, `portal_${lang}_survey_link_${width}`);
        });
      }
    }
    // A link that was never given opens nothing, and says so.
    const bad = await p.goto(app.url('/portal/de/survey-link/AAAA'));
    assert.equal(bad?.status(), 404);
    await anonymous.close();
  });

  test("a mailing is written and sent in the staff area, and its unsubscribe link works without an account in German and Arabic", { timeout: 3 * TIMEOUT }, async (t) => {
    // A mail server on loopback that keeps what it is given.
    const mails = [];
    const server = net.createServer((socket) => {
      let buffer = '';
      let data = false;
      socket.write('220 sink ESMTP\r\n');
      socket.on('data', (chunk) => {
        buffer += chunk.toString('utf8');
        for (;;) {
          if (data) {
            const end = buffer.indexOf('\r\n.\r\n');
            if (end < 0) return;
            mails.push(buffer.slice(0, end));
            buffer = buffer.slice(end + 5);
            data = false;
            socket.write('250 ok\r\n');
            continue;
          }
          const eol = buffer.indexOf('\r\n');
          if (eol < 0) return;
          const line = buffer.slice(0, eol).toUpperCase();
          buffer = buffer.slice(eol + 2);
          if (line.startsWith('EHLO') || line.startsWith('HELO')) socket.write('250 sink\r\n');
          else if (line.startsWith('DATA')) { data = true; socket.write('354 go on\r\n'); }
          else if (line.startsWith('QUIT')) { socket.end('221 bye\r\n'); return; }
          else socket.write('250 ok\r\n');
        }
      });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const port = server.address().port;
    try {
      const staff = await browser.newContext({ bypassCSP: true, locale: 'de-DE', viewport: DESKTOP });
      const sp = await staff.newPage();
      await sp.goto(app.url('/login'));
      await sp.fill('input[name="email"]', 'm.berger@ki-lindenau.example');
      await sp.fill('input[name="password"]', PASSWORD);
      await Promise.all([sp.waitForNavigation(), sp.locator('form[action="/login"] button[type="submit"]').click()]);
      const settings = await (await sp.request.get(app.url('/api/v1/settings'))).json();
      const put = await sp.request.put(app.url('/api/v1/settings'), {
        data: { ...settings, smtp_host: '127.0.0.1', smtp_port: String(port), smtp_security: 'none', smtp_from: 'KI <ki@lindenau.example>' },
      });
      assert.equal(put.status(), 200, `settings: ${await put.text()}`);

      // Written in the form, to the members of the working group.
      await sp.goto(app.url('/app/mailings/new'));
      await sp.fill('input[name="subject.de"]', 'Sommerfest des Arbeitskreises');
      await sp.fill('textarea[name="text.de"]', 'Liebe Vereine,\n\nwir feiern **am 3. Juli** im Stadtpark.');
      await sp.locator('#mailing-form details.survey-translations summary').click();
      await sp.fill('input[name="subject.ar"]', 'احتفال الصيف لمجموعة العمل');
      await sp.fill('textarea[name="text.ar"]', 'أعزاءنا في الجمعيات،\n\nنحتفل **في 3 يوليو** في حديقة المدينة.');
      await sp.locator('input[name="kinds"][value="mso"]').check();
      await Promise.all([sp.waitForNavigation(), sp.locator('#mailing-form button[type="submit"]').click()]);
      assert.match(new URL(sp.url()).pathname, /^\/app\/mailings\/[0-9a-f-]{36}$/, sp.url());
      const mailingPath = new URL(sp.url()).pathname;
      const audience = await sp.locator('#audience-line').innerText();
      assert.match(audience, /erhalten das Rundschreiben/, audience);
      for (const { name: width, viewport } of WIDTHS) {
        await sp.setViewportSize(viewport);
        await sp.goto(app.url(mailingPath));
        await checkPage(sp, `${mailingPath} (draft) @${width}`, 'de', `staff_mailing_draft_${width}`);
      }
      await sp.setViewportSize(DESKTOP);
      await Promise.all([sp.waitForNavigation(), sp.locator('#send button[type="submit"]').click()]);
      assert.equal(await sp.locator('#notice').count(), 1, 'sent: the notice');
      const deadline = Date.now() + 60_000;
      while (!mails.some((m) => /^List-Unsubscribe: /m.test(m)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
      }
      const mail = mails.find((m) => /^List-Unsubscribe: /m.test(m));
      assert.ok(mail, `a message with List-Unsubscribe among ${mails.length}`);
      assert.match(mail, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
      const token = /\/unsubscribe\/([A-Za-z0-9_-]+)>/.exec(mail)?.[1];
      assert.ok(token, 'the token in the header');
      for (const { name: width, viewport } of WIDTHS) {
        await sp.setViewportSize(viewport);
        await sp.goto(app.url(mailingPath));
        await checkPage(sp, `${mailingPath} (sent) @${width}`, 'de', `staff_mailing_sent_${width}`);
      }
      await staff.close();

      // The link's page, without an account, before and after the button.
      const anonymous = await browser.newContext({ bypassCSP: true, locale: 'de-DE', viewport: DESKTOP });
      const p = await anonymous.newPage();
      for (const { name: width, viewport } of WIDTHS) {
        await p.setViewportSize(viewport);
        for (const lang of LANGS) {
          const label = `/portal/${lang}/unsubscribe/… @${width}`;
          await t.test(label, async () => {
            const response = await p.goto(app.url(`/portal/${lang}/unsubscribe/${token}`));
            assert.equal(response?.status(), 200, `${label}: HTTP ${response?.status()}`);
            assert.equal(await p.locator('form#unsubscribe-form').count(), 1, `${label}: the button's form`);
            await checkPage(p, label, lang, `portal_${lang}_unsubscribe_${width}`);
          });
        }
      }
      await p.setViewportSize(PHONE);
      await p.goto(app.url(`/portal/ar/unsubscribe/${token}`));
      await Promise.all([p.waitForNavigation(), p.locator('#unsubscribe-form button').click()]);
      assert.equal(await p.locator('form#unsubscribe-form').count(), 0, 'unsubscribed: no button any more');
      assert.equal(await p.locator('#notice').count(), 1, 'unsubscribed: the notice');
      await checkPage(p, '/portal/ar/unsubscribe/… (done) @390', 'ar', 'portal_ar_unsubscribed_390');
      const bad = await p.goto(app.url('/portal/de/unsubscribe/AAAA'));
      assert.equal(bad?.status(), 404);
      await anonymous.close();
    } finally {
      server.close();
    }
  });

  test('the Arabic language menu opens inside a phone screen (signed in)', { timeout: TIMEOUT }, async () => {
    await page.setViewportSize(PHONE);
    await page.goto(app.url('/portal/ar/needs'));
    const menu = page.locator('nav#lang-switch');
    await menu.locator('summary').click();
    const list = menu.locator('.lang-menu__list');
    await list.waitFor({ state: 'visible' });
    await screenshot(page, shots, 'portal_ar_needs_390_language_menu');
    const box = await list.boundingBox();
    assert.ok(
      box && box.x >= 0 && box.x + box.width <= PHONE.width,
      `the open language menu at 390 px is off screen: ${JSON.stringify(box)}`,
    );
    await assertNoHorizontalScroll(page, '/portal/ar/needs @390 (language menu open)');
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/portal/de/needs'),
      menu.locator('a[hreflang="de"]').click(),
    ]);
  });

  test('on a phone: an empty need shows linked errors, then a need is reported and listed', { timeout: TIMEOUT }, async () => {
    await page.setViewportSize(PHONE);
    await page.goto(app.url('/portal/de/needs'));
    const form = page.locator('form#need-form');
    const submit = form.locator('button[type="submit"]');

    // 1. Sent empty: the server answers with the form again.
    const [rejected] = await Promise.all([page.waitForNavigation(), submit.click()]);
    assert.equal(rejected?.status(), 422, `empty need: HTTP ${rejected?.status()}`);
    assert.equal(path(), '/portal/de/needs');
    const summary = page.locator('#error-summary');
    assert.equal(await summary.count(), 1, '#error-summary after sending an empty need');
    assert.ok(await summary.isVisible(), '#error-summary is not visible');
    const summaryBox = await summary.boundingBox();
    assert.ok(
      summaryBox && summaryBox.y < PHONE.height,
      `#error-summary is below the first screen on a phone (y = ${summaryBox?.y})`,
    );
    const description = page.locator('#need-form #description');
    assert.equal(await description.getAttribute('aria-invalid'), 'true', '#description aria-invalid');
    const describedBy = ((await description.getAttribute('aria-describedby')) ?? '').split(/\s+/);
    assert.ok(describedBy.includes('description-error'), `#description aria-describedby="${describedBy.join(' ')}"`);
    const message = page.locator('#description-error');
    assert.ok(await message.isVisible(), '#description-error is not visible');
    const messageText = (await message.innerText()).trim();
    assert.ok(messageText.length > 0, '#description-error is empty');
    const link = summary.locator('a[href="#description"]');
    assert.equal(await link.count(), 1, `#error-summary has no link to #description: ${await summary.innerText()}`);
    await screenshot(page, shots, 'portal_de_needs_error_390');
    await assertNoHorizontalScroll(page, '/portal/de/needs (errors) @390');
    const violations = await runAxe(page);
    assert.equal(violations.length, 0, formatViolations('/portal/de/needs (errors)', violations));
    // The summary's link leads to the field (keyboard: focus it, Enter).
    await link.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'description');

    // 2. A real need: category, description, urgency, send (keyboard).
    const text = `E2E: Wir suchen einen Raum für 30 Personen, samstags (${Date.now()})`;
    const category = page.locator('#need-form #category');
    const options = await category.locator('option').evaluateAll((os) => os.map((o) => ({ value: o.value, label: o.textContent.trim() })));
    assert.ok(options.length > 1, `#category has ${options.length} options`);
    const chosen = options[1];
    await category.selectOption(chosen.value);
    await description.click();
    await page.keyboard.type(text);
    const high = page.locator('#need-form input[name="urgency"][value="high"]');
    await page.locator(`#need-form label[for="${await high.getAttribute('id')}"]`).click();
    assert.ok(await high.isChecked(), 'urgency "high" is not checked after clicking its label');
    await page.keyboard.press('Tab');
    assert.ok(
      await submit.evaluate((b) => b === document.activeElement),
      'Tab from the urgency choice does not reach the send button',
    );
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/portal/de/'),
      page.keyboard.press('Enter'),
    ]);
    assert.equal(pathAndSearch(), '/portal/de/?done=need');
    const notice = page.locator('#notice');
    assert.ok(await notice.isVisible(), 'no notice after reporting a need');
    assert.ok(
      (await page.locator('#home-needs').innerText()).includes(text),
      'the new need is not on the start page (#home-needs)',
    );
    await checkPage(page, '/portal/de/?done=need @390', 'de', 'portal_de_home_need_sent_390');

    await page.goto(app.url('/portal/de/needs'));
    const item = page.locator('#needs li', { hasText: text });
    assert.equal(await item.count(), 1, `the new need is not listed on /portal/de/needs`);
    assert.ok((await item.innerText()).includes(chosen.label), `the listed need does not name its category ${chosen.label}`);

    // 3. The same errors in Arabic: the summary, and the error bar on the right.
    await page.goto(app.url('/portal/ar/needs'));
    const [rejectedAr] = await Promise.all([page.waitForNavigation(), submit.click()]);
    assert.equal(rejectedAr?.status(), 422, `empty need in Arabic: HTTP ${rejectedAr?.status()}`);
    assert.ok(await page.locator('#error-summary a[href="#description"]').isVisible(), 'Arabic #error-summary link');
    const bar = await page.locator('#need-form .kern-form-input--error').evaluate((el) => {
      const cs = getComputedStyle(el);
      return { right: parseFloat(cs.borderRightWidth), left: parseFloat(cs.borderLeftWidth) };
    });
    assert.ok(bar.right > 0 && bar.left === 0, `the error bar in Arabic is not on the right: ${JSON.stringify(bar)}`);
    await checkPage(page, '/portal/ar/needs (errors) @390', 'ar', 'portal_ar_needs_error_390');
  });

  // With the CSP enforced (a context without bypassCSP): the portal's sign-in
  // page and start page load their assets, and nothing is blocked or throws.
  test('/portal/ar/login and /portal/ar/ load under the real CSP without errors', { timeout: TIMEOUT }, async () => {
    const strict = await browser.newContext({ locale: 'ar', viewport: PHONE });
    try {
      const p = await strict.newPage();
      const watch = watchProblems(p);
      watch.at = '/portal/ar/login';
      await p.goto(app.url('/portal/ar/'), { waitUntil: 'load' });
      assert.equal(path(p), '/portal/ar/login', `/portal/ar/ without a session went to ${p.url()}`);
      await p.evaluate(() => document.fonts.ready);
      watch.at = '/portal/ar/';
      await p.fill('#email', REPRESENTATIVE.email);
      await p.fill('#password', PASSWORD);
      await Promise.all([
        p.waitForURL((url) => url.pathname === '/portal/ar/', { waitUntil: 'load' }),
        p.locator('#login-form button[type="submit"]').click(),
      ]);
      await p.evaluate(() => document.fonts.ready);
      assert.equal(await p.locator('h1#hello').count(), 1, 'h1#hello after signing in under the real CSP');
      assert.equal(watch.problems.length, 0, `under the enforced CSP:\n${watch.problems.join('\n')}`);
    } finally {
      await strict.close();
    }
  });

  test('signing out ends the session: /portal/de/ leads to the portal sign-in page', { timeout: TIMEOUT }, async (t) => {
    await page.setViewportSize(PHONE);
    await page.goto(app.url('/portal/de/'));
    const logout = page.locator('form[action="/logout"] button');
    assert.equal(await logout.count(), 1, 'button in form[action="/logout"]');
    const [response] = await Promise.all([page.waitForNavigation(), logout.click()]);
    assert.ok(response && response.status() < 400, `signing out: HTTP ${response?.status()}`);
    assert.equal(await page.locator('.user-box__name').count(), 0, 'still shows a signed-in user');
    assert.equal(await page.locator('input#password').count(), 1, `no sign-in form after signing out (at ${page.url()})`);
    t.diagnostic(`signing out led to ${pathAndSearch()}`);
    await screenshot(page, shots, 'portal_de_signed_out_390');

    const again = await page.goto(app.url('/portal/de/'));
    assert.equal(again.status(), 200);
    assert.equal(path(), '/portal/de/login', `after signing out, /portal/de/ went to ${page.url()}`);
    assert.equal(new URL(page.url()).searchParams.get('next'), '/portal/de/', `next= in ${page.url()}`);
    assert.equal(await page.locator('form#login-form').count(), 1, 'form#login-form');
  });
});
