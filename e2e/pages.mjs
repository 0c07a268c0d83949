// The catalogue of page types, shared by the layout test (no page scrolls
// sideways) and the screenshot gallery (scripts/screenshots): public pages in
// every language, the staff area, the portal. Record ids are discovered on
// the running demo (the first link of a list), never hard-coded.

export const LANGUAGES = ['de', 'en', 'tr', 'ar', 'ru', 'uk'];
export const PASSWORD = 'Lindenau-Demo-2026';
export const STAFF_EMAIL = 'm.berger@ki-lindenau.example';
export const REPRESENTATIVE_EMAIL = 'ayse.almasri@mail.example';

export const WIDTHS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };

/** Public page types, as paths below /{lang}. Needs ids from `publicIds`. */
export function publicPaths(ids) {
  return [
    ['home', '/'],
    ['search', '/search'],
    ['search_deutschkurs', '/search?q=Deutschkurs'],
    ['search_nothing', '/search?q=Zzyzxqwv'],
    ['search_category', '/search?category=language_course&free=1'],
    ['organisation', `/organisations/${ids.organisation}`],
    ['offer', `/offers/${ids.offer}`],
    ['event', `/events/${ids.event}`],
    ['calendar', '/events'],
    ['about', '/about'],
    ['accessibility', '/accessibility'],
    ['api', '/api'],
    ['not_found', '/organisations/00000000-0000-0000-0000-000000000000'],
  ];
}

/** Real public records of the demo, read from the public feeds and the home page. */
export async function publicIds(app) {
  const hsds = await (await fetch(app.url('/api/v1/hsds/services'))).json();
  const orgs = await (await fetch(app.url('/api/v1/hsds/organizations'))).json();
  const organisation = orgs.contents.find((o) => o.locations.length > 0)?.id ?? orgs.contents[0].id;
  const home = await (await fetch(app.url('/de/'))).text();
  const event = /href="\/de\/events\/([0-9a-f-]{36})"/.exec(home)?.[1];
  if (!event) throw new Error('no event linked from /de/ on the demo');
  return { organisation, offer: hsds.contents[0].id, event };
}

/** Signs a browser page in at /login (staff) and lands on /app/. */
export async function signInStaff(page, app, email = STAFF_EMAIL) {
  await page.goto(app.url('/login'));
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/app/'),
    page.locator('form[action="/login"] button[type="submit"]').click(),
  ]);
}

/** Signs a browser page in to the portal (German) and lands on its home. */
export async function signInPortal(page, app, email = REPRESENTATIVE_EMAIL) {
  await page.goto(app.url('/portal/de/login'));
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/portal/de/'),
    page.locator('form[action$="/login"] button[type="submit"]').click(),
  ]);
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** The first link on `list` to `prefix/{uuid}` (a record page), or null. */
async function firstRecord(page, app, list, prefix) {
  await page.goto(app.url(list));
  const hrefs = await page.locator(`a[href^="${prefix}/"]`).evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const re = new RegExp(`^${prefix}/${UUID}$`);
  return hrefs.find((h) => re.test(h)) ?? null;
}

/**
 * Staff page types (a signed-in admin's browser page): the navigation's lists,
 * every record page type with its edit form, the forms for new records, the
 * admin pages. Returns [name, path] pairs.
 */
export async function staffPaths(page, app) {
  const lists = [
    ['dashboard', '/app/'],
    ['organisations', '/app/organisations'],
    ['organisations_new', '/app/organisations/new'],
    ['persons', '/app/persons'],
    ['persons_new', '/app/persons/new'],
    ['interactions', '/app/interactions'],
    ['interactions_new', '/app/interactions/new'],
    ['offers', '/app/offers'],
    ['offers_new', '/app/offers/new'],
    ['needs', '/app/needs'],
    ['needs_new', '/app/needs/new'],
    ['ideas', '/app/ideas'],
    ['surveys', '/app/surveys'],
    ['surveys_new', '/app/surveys/new'],
    ['mailings', '/app/mailings'],
    ['mailings_new', '/app/mailings/new'],
    ['tasks', '/app/tasks'],
    ['tasks_new', '/app/tasks/new'],
    ['events', '/app/events'],
    ['events_new', '/app/events/new'],
    ['bodies', '/app/bodies'],
    ['bodies_new', '/app/bodies/new'],
    ['meetings', '/app/meetings'],
    ['periods', '/app/periods'],
    ['targets', '/app/targets'],
    ['projects', '/app/projects'],
    ['projects_new', '/app/projects/new'],
    ['review', '/app/review'],
    ['privacy', '/app/privacy'],
    ['audit', '/app/audit'],
    ['import', '/app/import'],
    ['export', '/app/export'],
    ['account', '/app/account'],
    ['admin_users', '/app/admin/users'],
    ['admin_users_new', '/app/admin/users/new'],
    ['admin_settings', '/app/admin/settings'],
    ['admin_taxonomies', '/app/admin/taxonomies'],
  ];
  const records = [
    ['organisation', '/app/organisations', '/app/organisations', ['edit']],
    ['person', '/app/persons', '/app/persons', ['edit']],
    ['interaction', '/app/interactions', '/app/interactions', ['edit']],
    ['offer', '/app/offers', '/app/offers', []],
    ['need', '/app/needs', '/app/needs', ['edit']],
    ['task', '/app/tasks', '/app/tasks', []],
    ['survey', '/app/surveys', '/app/surveys', ['edit']],
    ['mailing', '/app/mailings', '/app/mailings', ['edit']],
    ['event', '/app/events', '/app/events', ['edit']],
    ['body', '/app/bodies', '/app/bodies', ['edit']],
    ['target', '/app/targets', '/app/targets', []],
    ['period', '/app/targets', '/app/periods', ['report', 'report/edit']],
  ];
  const found = [...lists];
  for (const [name, list, prefix, subpages] of records) {
    const href = await firstRecord(page, app, list, prefix);
    if (!href) continue;
    found.push([name, href]);
    for (const sub of subpages) found.push([`${name}_${sub.replace(/\//g, '_')}`, `${href}/${sub}`]);
  }
  const period = found.find(([n]) => n === 'period');
  if (period) found.push(['targets_new', `/app/targets/new?period=${period[1].split('/').pop()}`]);
  await page.goto(app.url('/app/projects'));
  const projectEdit = (await page.locator('a[href^="/app/projects/"][href$="/edit"]').evaluateAll((as) => as.map((a) => a.getAttribute('href'))))
    .find((h) => new RegExp(`^/app/projects/${UUID}/edit$`).test(h));
  if (projectEdit) found.push(['project_edit', projectEdit]);
  // The demo's school year 2020/21 (the seed's report): its report with
  // chapters, one chapter alone, its texts, and the items beyond the targets
  // with the form of one of them.
  await page.goto(app.url('/app/periods'));
  const seedSection = await page.locator('section', { has: page.locator('h2', { hasText: '2020/21' }) }).first().getAttribute('id').catch(() => null);
  const seed = seedSection && new RegExp(`(${UUID})$`).exec(seedSection)?.[1];
  if (seed) {
    const base = `/app/periods/${seed}`;
    found.push(['seed_report', `${base}/report`], ['seed_report_edit', `${base}/report/edit`], ['seed_beyond', `${base}/beyond`]);
    await page.goto(app.url(`${base}/report`));
    const chapter = (await page.locator('#report-chapters a[href*="project="]').evaluateAll((as) => as.map((a) => a.getAttribute('href'))))[0];
    if (chapter) found.push(['seed_report_chapter', chapter]);
    await page.goto(app.url(`${base}/beyond`));
    const item = (await page.locator('a[href*="/beyond/"][href$="/edit"]').evaluateAll((as) => as.map((a) => a.getAttribute('href'))))
      .find((h) => new RegExp(`^${base}/beyond/${UUID}/edit$`).test(h));
    if (item) found.push(['seed_beyond_edit', item]);
  }
  const body = found.find(([n]) => n === 'body');
  if (body) {
    const meeting = await firstRecord(page, app, body[1], '/app/meetings');
    if (meeting) {
      found.push(['meeting', meeting], ['meeting_attendance', `${meeting}/attendance`], ['meeting_edit', `${meeting}/edit`]);
    }
  }
  return found;
}

/** Portal page types for a signed-in representative, German. */
export async function portalPaths(page, app) {
  const found = [
    ['home', '/portal/de/'],
    ['entry', '/portal/de/entry'],
    ['needs', '/portal/de/needs'],
    ['ideas', '/portal/de/ideas'],
    ['meetings', '/portal/de/meetings'],
    ['me', '/portal/de/me'],
  ];
  const entry = await firstRecord(page, app, '/portal/de/entry', '/portal/de/entry');
  if (entry) found.push(['entry_record', entry], ['entry_offer_new', `${entry}/offers/new`]);
  const meeting = await firstRecord(page, app, '/portal/de/meetings', '/portal/de/meetings');
  if (meeting) found.push(['meeting', meeting]);
  return found;
}

/** How far the page scrolls sideways, in CSS pixels (0 when it fits). */
export function overflow(page) {
  return page.evaluate(() => {
    const root = document.documentElement;
    const over = Math.max(root.scrollWidth, document.body.scrollWidth) - root.clientWidth;
    if (over <= 0) return { over: 0, culprits: [] };
    // Name the outermost elements that stick out (not those a scrolling
    // box already holds), to say what to fix.
    const limit = root.clientWidth;
    const culprits = [];
    const clipped = (el) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible') return true;
      }
      return false;
    };
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || !(r.right > limit + 1 || r.left < -1) || clipped(el)) continue;
      if (culprits.some((c) => c.el.contains(el))) continue;
      const id = el.id ? `#${el.id}` : '';
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      culprits.push({ el, text: `${el.tagName.toLowerCase()}${id}${cls} [${Math.round(r.left)}..${Math.round(r.right)}]` });
    }
    return { over, culprits: culprits.slice(0, 6).map((c) => c.text) };
  });
}
