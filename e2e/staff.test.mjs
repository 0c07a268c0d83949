// The staff area in real Chromium, against `msohub serve --demo`:
// anonymous redirect to the login page, a failed and a keyboard-only sign-in,
// every page of the staff navigation, creating an account, the account and
// TOTP pages, signing out, and the auditor's limited rights (403 page), with
// axe-core (WCAG 2.1 A/AA) on each page.
//
// Run: npm run e2e   (needs target/debug/msohub, or MSOHUB_BIN / MSOHUB_E2E_BASE_URL;
// an external instance must have been started with --demo)

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

// The demo accounts (`msohub serve --demo`).
const PASSWORD = 'Lindenau-Demo-2026';
const ADMIN = { email: 'm.berger@ki-lindenau.example', name: 'Monika Berger' };
const STAFF = { email: 'j.lehmann@ki-lindenau.example' };
const AUDITOR = { email: 'pruefung@ki-lindenau.example' };

const MAX_TABS = 30;

describe('staff journey', { timeout: 10 * TIMEOUT }, () => {
  let app;
  let browser;
  let context;
  let page;
  let shots;

  before(async () => {
    shots = screenshotDir();
    console.log(`screenshots: ${shots}`);
    app = await startApp({ demo: true });
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
  const pathAndSearch = () => {
    const url = new URL(page.url());
    return url.pathname + url.search;
  };

  async function assertNoAxeViolations(label) {
    const violations = await runAxe(page);
    assert.equal(violations.length, 0, formatViolations(label, violations));
  }

  async function assertH1(label, text) {
    const h1 = page.locator('h1');
    assert.ok((await h1.count()) >= 1, `${label}: no <h1>`);
    if (text !== undefined) assert.equal((await h1.first().innerText()).trim(), text, `${label}: <h1>`);
  }

  /** Screenshot named staff_<path slug>[_suffix]. */
  function shoot(suffix = '') {
    const slug =
      decodeURIComponent(new URL(page.url()).pathname)
        .replace(/^\/+|\/+$/g, '')
        .replace(/[^\p{L}\p{N}._-]+/gu, '_') || 'root';
    return screenshot(page, shots, `staff_${slug}${suffix ? `_${suffix}` : ''}`);
  }

  const activeElement = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      return { id: el?.id ?? '', html: el ? el.outerHTML.slice(0, 200) : '(none)' };
    });

  /** Signs in through the login form with the mouse (the keyboard path has its own test). */
  async function signIn(email) {
    await page.goto(app.url('/login'));
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/app/'),
      page.locator('form[action="/login"] button[type="submit"]').click(),
    ]);
  }

  async function navHrefs() {
    return page.locator('nav#main-nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  }

  test('/app/ redirects anonymous visitors to the login page, which passes axe', { timeout: TIMEOUT }, async () => {
    const response = await page.goto(app.url('/app/'));
    assert.ok(response, 'no response for /app/');
    const redirect = response.request().redirectedFrom();
    assert.ok(redirect, `GET /app/ was not redirected (landed on ${page.url()})`);
    const redirectStatus = (await redirect.response())?.status();
    assert.ok(redirectStatus >= 300 && redirectStatus < 400, `redirect status ${redirectStatus}`);
    assert.equal(pathAndSearch(), '/login?next=/app/');
    assert.equal(response.status(), 200);

    assert.equal(await page.getAttribute('html', 'lang'), 'de');
    await assertH1('/login', 'Anmelden');
    const form = page.locator('form[action="/login"]');
    assert.equal(await form.count(), 1, 'form[action="/login"]');
    assert.equal(await form.locator('#email').count(), 1, '#email in the login form');
    assert.equal(await form.locator('#password').count(), 1, '#password in the login form');
    assert.equal(await form.locator('button[type="submit"]').count(), 1, 'submit button in the login form');
    await shoot();
    await assertNoAxeViolations('/login?next=/app/');
  });

  test('a wrong password shows the error summary, which passes axe', { timeout: TIMEOUT }, async () => {
    await page.goto(app.url('/login?next=/app/'));
    await page.fill('#email', ADMIN.email);
    await page.fill('#password', 'definitely-not-the-password');
    const [response] = await Promise.all([
      page.waitForNavigation(),
      page.locator('form[action="/login"] button[type="submit"]').click(),
    ]);
    assert.equal(path(), '/login', `after a wrong password: ${page.url()}`);
    assert.ok(response && response.status() < 500, `HTTP ${response?.status()}`);
    const summary = page.locator('#error-summary');
    assert.equal(await summary.count(), 1, '#error-summary');
    assert.ok(await summary.isVisible(), '#error-summary is not visible');
    const text = await summary.innerText();
    assert.ok(
      text.includes('E-Mail-Adresse oder Passwort ist falsch.'),
      `#error-summary says: ${JSON.stringify(text)}`,
    );
    assert.equal(await page.locator('.user-box__name').count(), 0, 'signed in despite a wrong password');
    await shoot('error');
    await assertNoAxeViolations('/login (wrong password)');
  });

  test('the admin signs in with the keyboard only', { timeout: TIMEOUT }, async () => {
    await page.goto(app.url('/app/'));
    assert.equal(pathAndSearch(), '/login?next=/app/');
    await page.bringToFront();

    // Tab from the top of the page: the skip link comes first, then the header
    // links, then the form.
    const seen = [];
    let presses = 0;
    let focused = await activeElement();
    while (focused.id !== 'email' && presses < MAX_TABS) {
      await page.keyboard.press('Tab');
      presses += 1;
      focused = await activeElement();
      seen.push(focused.html);
      if (presses === 1) {
        assert.ok(
          await page.evaluate(() => document.activeElement?.matches('a.skip-link[href="#main"]') ?? false),
          `first Tab focused ${focused.html} instead of the skip link`,
        );
      }
    }
    assert.equal(focused.id, 'email', `#email not reached in ${MAX_TABS} Tab presses; focus went:\n${seen.join('\n')}`);

    await page.keyboard.type(ADMIN.email);
    await page.keyboard.press('Tab');
    focused = await activeElement();
    assert.equal(focused.id, 'password', `Tab after #email focused ${focused.html}`);
    await page.keyboard.type(PASSWORD);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/app/'),
      page.keyboard.press('Enter'),
    ]);

    assert.equal(path(), '/app/');
    await assertH1('/app/', 'Bereich für Mitarbeitende');
    assert.equal((await page.locator('.user-box__name').innerText()).trim(), ADMIN.name, '.user-box__name');
  });

  test('every page in the staff navigation renders and passes axe', { timeout: 5 * TIMEOUT }, async (t) => {
    await page.goto(app.url('/app/'));
    // Collect first, then visit: navigating detaches the nav we read from.
    const hrefs = await navHrefs();
    for (const expected of ['/app/', '/app/admin/users', '/app/audit', '/app/account']) {
      assert.ok(hrefs.includes(expected), `nav#main-nav lacks ${expected}; it has ${hrefs.join(', ')}`);
    }
    const targets = new Set();
    for (const href of hrefs) {
      const url = new URL(href, page.url());
      url.hash = '';
      if (url.origin !== new URL(app.baseUrl).origin) {
        t.diagnostic(`skipping external link ${href}`);
        continue;
      }
      targets.add(url.href);
    }

    for (const target of targets) {
      const label = new URL(target).pathname + new URL(target).search;
      await t.test(label, async () => {
        const response = await page.goto(target);
        assert.ok(response, `no response for ${label}`);
        assert.ok(response.status() < 400, `${label}: HTTP ${response.status()}`);
        assert.equal(path(), new URL(target).pathname, `${label} redirected to ${page.url()}`);
        await assertH1(label);
        await shoot();
        await assertNoAxeViolations(label);
      });
    }
  });

  test('the work-log and body pages (contact, forms, need, timeline, meeting, attendance) pass axe', { timeout: 5 * TIMEOUT }, async (t) => {
    // Start from the lists, follow the first record of each.
    const first = async (list, selector) => {
      await page.goto(app.url(list));
      return new URL(await page.locator(selector).first().getAttribute('href'), app.baseUrl).pathname;
    };
    const contact = await first('/app/interactions', '#interactions a[href^="/app/interactions/"]');
    const need = await first('/app/needs', '#needs a[href^="/app/needs/"]');
    const organisation = await first('/app/organisations', 'a.org-name');
    const body = await first('/app/bodies', '#bodies a[href^="/app/bodies/"]');
    await page.goto(app.url(body));
    const meeting = new URL(await page.locator('#past-meetings a').first().getAttribute('href'), app.baseUrl).pathname;
    const event = await first('/app/events', '#events a[href^="/app/events/"]');
    // The seed year 2020/21: finalised once in the demo.
    await page.goto(app.url('/app/targets'));
    const seedYear = new URL(await page.locator('a[href^="/app/periods/"]', { hasText: '2020/21' }).first().getAttribute('href'), app.baseUrl).pathname;
    await page.goto(app.url(seedYear));
    const target = new URL(await page.locator('a[href^="/app/targets/"]:not([href*="new"])').first().getAttribute('href'), app.baseUrl).pathname;
    // One chapter of it, and the items beyond its targets with one item's form.
    await page.goto(app.url(`${seedYear}/report`));
    const chapter = await page.locator('#report-chapters a[href*="project="]').first().getAttribute('href');
    await page.goto(app.url(`${seedYear}/beyond`));
    const beyondItem = new URL(await page.locator('a[href*="/beyond/"][href$="/edit"]').first().getAttribute('href'), app.baseUrl).pathname;
    const hsds = await (await page.request.get(app.url('/api/v1/hsds/services?per_page=1'))).json();
    assert.ok(hsds.contents.length > 0, 'the demo has public offers');
    const publicOffer = hsds.contents[0].id;
    const targets = [
      `/de/offers/${publicOffer}`,
      `/en/offers/${publicOffer}`,
      event,
      `${event}/edit`,
      '/app/events/new',
      `${seedYear}/report`,
      `${seedYear}/report?lang=en`,
      `${seedYear}/report/edit`,
      `${seedYear}/report/versions/1`,
      `${seedYear}/report/diff?from=1`,
      `${seedYear}/report${new URL(chapter, app.baseUrl).search}`,
      `${seedYear}/beyond`,
      beyondItem,
      target,
      contact,
      `${contact}/edit`,
      '/app/interactions/new',
      need,
      '/app/needs/new',
      `/app/tasks/new?link_type=interaction&link_id=${contact.split('/').pop()}`,
      '/app/tasks?view=overdue',
      organisation,
      body,
      meeting,
      `${meeting}/attendance`,
      `${meeting}/edit`,
      '/app/bodies/new',
      '/app/admin/settings',
      '/de/api',
    ];
    for (const target of targets) {
      await t.test(target, async () => {
        const response = await page.goto(app.url(target));
        assert.ok(response.status() < 400, `${target}: HTTP ${response.status()}`);
        await assertH1(target);
        await shoot();
        await assertNoAxeViolations(target);
      });
    }
  });

  test('the import wizard (upload, check page with problems, result) and a person\'s data-protection page pass axe', { timeout: 3 * TIMEOUT }, async () => {
    await page.goto(app.url('/app/import'));
    await page.check('#entity-organisations');
    await page.setInputFiles('#file', {
      name: 'vereine.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Vereinsname;PLZ;Ort\nE2E-Verein Eins;04109;Leipzig\nE2E-Verein Zwei;4109;Leipzig\n'),
    });
    await page.locator('#import-upload button[type=submit]').click();
    await page.waitForURL(/\/app\/import\/[0-9a-f-]{36}/);
    await assertH1('import check');
    assert.match(await page.locator('#problem-table').innerText(), /\b3\b/, 'the bad postcode is in row 3');
    assert.ok(await page.locator('#commit button').isDisabled(), 'errors block the commit');
    await shoot();
    await assertNoAxeViolations('import check with problems');
    // Leave the row out by mapping nothing else: map the postcode away and
    // check again, then import.
    await page.selectOption('#m-postcode', '');
    await page.locator('#mapping button[type=submit]').click();
    await page.waitForSelector('#ready');
    await page.locator('#commit button').click();
    await page.waitForSelector('#import-result');
    await assertH1('import done');
    await assertNoAxeViolations('import done');
    // A person's data-protection page (the admin sees the erase form).
    await page.goto(app.url('/app/persons'));
    const person = new URL(await page.locator('#persons a.person-name').first().getAttribute('href'), app.baseUrl).pathname;
    await page.goto(app.url(`${person}/privacy`));
    await assertH1('person privacy');
    assert.equal(await page.locator('#erase-form').count(), 1);
    await shoot();
    await assertNoAxeViolations('person privacy');
  });

  for (const start of ['/de/', '/en/']) {
    test(`${start}: an upcoming event's public page passes axe (keyboard: Tab to the link, Enter)`, { timeout: TIMEOUT }, async () => {
      await page.goto(app.url(start));
      const link = page.locator('#upcoming-events a[href*="/events/"]').first();
      const href = await link.getAttribute('href');
      assert.ok(href, `no upcoming event on ${start}`);
      await link.focus();
      await Promise.all([page.waitForURL((url) => url.pathname === href), page.keyboard.press('Enter')]);
      await assertH1(href);
      await shoot();
      await assertNoAxeViolations(href);
    });
  }

  test('the admin creates an account and sees its one-time password', { timeout: TIMEOUT }, async () => {
    let response = await page.goto(app.url('/app/admin/users'));
    assert.equal(response.status(), 200);
    assert.equal(await page.locator('table#users').count(), 1, 'table#users');
    assert.equal(
      await page.locator(`table#users tr[data-email="${STAFF.email}"]`).count(),
      1,
      `table#users has no row tr[data-email="${STAFF.email}"]`,
    );

    response = await page.goto(app.url('/app/admin/users/new'));
    assert.equal(response.status(), 200);
    await assertH1('/app/admin/users/new');
    await shoot();
    await assertNoAxeViolations('/app/admin/users/new');

    const email = `e2e-${Date.now()}-${process.pid}@ki-lindenau.example`;
    await page.fill('#email', email);
    await page.fill('#display_name', 'E2E Testperson');
    await page.selectOption('#role', 'staff');
    const [created] = await Promise.all([
      page.waitForNavigation(),
      page.locator('main form button[type="submit"]').click(),
    ]);
    assert.ok(created && created.status() < 400, `creating ${email}: HTTP ${created?.status()}`);
    const otp = page.locator('#one-time-password');
    assert.equal(await otp.count(), 1, `no #one-time-password after creating ${email} (at ${page.url()})`);
    const password = (await otp.innerText()).trim();
    assert.equal(password.length, 16, `one-time password ${JSON.stringify(password)} is not 16 characters`);
    await assertH1('one-time password page');
    await shoot('one_time_password');
    await assertNoAxeViolations(`${path()} (one-time password)`);

    await page.goto(app.url('/app/admin/users'));
    assert.equal(
      await page.locator(`table#users tr[data-email="${email}"]`).count(),
      1,
      `the new account ${email} is not in table#users`,
    );
  });

  test('the account page and the TOTP set-up page pass axe', { timeout: TIMEOUT }, async () => {
    let response = await page.goto(app.url('/app/account'));
    assert.equal(response.status(), 200);
    await assertH1('/app/account');
    await assertNoAxeViolations('/app/account');

    response = await page.goto(app.url('/app/account/totp'));
    assert.equal(response.status(), 200);
    await assertH1('/app/account/totp');
    const secret = page.locator('#totp-secret');
    assert.equal(await secret.count(), 1, '#totp-secret');
    assert.ok(await secret.isVisible(), '#totp-secret is not visible');
    assert.match((await secret.innerText()).trim(), /^[A-Z2-7]{16,}=*$/, '#totp-secret is not base32');
    await shoot();
    await assertNoAxeViolations('/app/account/totp');
  });

  test('signing out leads to the login page with a notice; /app/ needs a login again', { timeout: TIMEOUT }, async () => {
    await page.goto(app.url('/app/'));
    const logout = page.locator('form[action="/logout"] button');
    assert.equal(await logout.count(), 1, 'button in form[action="/logout"]');
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/login'),
      logout.click(),
    ]);
    assert.equal(pathAndSearch(), '/login?signed_out=1');
    const notice = page.locator('.kern-alert--info');
    assert.equal(await notice.count(), 1, 'info alert (.kern-alert--info) after signing out');
    assert.ok(await notice.isVisible(), 'the sign-out notice is not visible');
    assert.equal(await page.locator('.user-box__name').count(), 0, 'still shows a signed-in user');
    await shoot('signed_out');
    await assertNoAxeViolations('/login?signed_out=1');

    await page.goto(app.url('/app/'));
    assert.equal(pathAndSearch(), '/login?next=/app/', 'after signing out, /app/ did not redirect to the login');
  });

  test('the auditor sees the protocol but gets 403 for the user administration', { timeout: TIMEOUT }, async () => {
    await signIn(AUDITOR.email);
    const hrefs = await navHrefs();
    assert.ok(hrefs.includes('/app/audit'), `auditor nav lacks /app/audit: ${hrefs.join(', ')}`);
    assert.ok(!hrefs.includes('/app/admin/users'), `auditor nav offers /app/admin/users: ${hrefs.join(', ')}`);

    const response = await page.goto(app.url('/app/admin/users'));
    assert.equal(response.status(), 403, `/app/admin/users as auditor: HTTP ${response.status()}`);
    assert.equal(path(), '/app/admin/users');
    await assertH1('403 page', 'Kein Zugriff');
    await shoot('403');
    await assertNoAxeViolations('/app/admin/users (403 for the auditor)');
  });

  // With the CSP enforced (a context without bypassCSP): the login page and
  // the dashboard load their assets, and nothing is blocked or throws.
  test('login page and dashboard load under the real CSP without errors', { timeout: TIMEOUT }, async () => {
    const strict = await browser.newContext({ locale: 'de-DE' });
    try {
      const strictPage = await strict.newPage();
      const watch = watchProblems(strictPage);

      watch.at = '/login';
      await strictPage.goto(app.url('/app/'), { waitUntil: 'load' });
      assert.equal(new URL(strictPage.url()).pathname, '/login');
      await strictPage.evaluate(() => document.fonts.ready);

      watch.at = '/app/';
      await strictPage.fill('#email', ADMIN.email);
      await strictPage.fill('#password', PASSWORD);
      await Promise.all([
        strictPage.waitForURL((url) => url.pathname === '/app/', { waitUntil: 'load' }),
        strictPage.locator('form[action="/login"] button[type="submit"]').click(),
      ]);
      await strictPage.evaluate(() => document.fonts.ready);
      assert.equal(
        (await strictPage.locator('.user-box__name').innerText()).trim(),
        ADMIN.name,
        'dashboard under the real CSP: .user-box__name',
      );

      assert.equal(watch.problems.length, 0, `under the enforced CSP:\n${watch.problems.join('\n')}`);
    } finally {
      await strict.close();
    }
  });
});
