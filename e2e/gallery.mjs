// The screenshot gallery (scripts/screenshots): starts the demo, photographs
// every page type — public in German and Arabic at desktop and 390 px, staff
// and portal in German at both widths — and writes the PNGs with an index
// page (index.html) that also flags each page that scrolls sideways.
//
// Usage: node e2e/gallery.mjs [folder]   (default: target/screenshots)

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchBrowser, repoRoot, startApp } from './app.mjs';
import {
  WIDTHS,
  overflow,
  portalPaths,
  publicIds,
  publicPaths,
  signInPortal,
  signInStaff,
  staffPaths,
} from './pages.mjs';

const out = resolve(process.argv[2] || join(repoRoot, 'target/screenshots'));
mkdirSync(out, { recursive: true });
const shots = [];

const app = await startApp({ demo: true });
const browser = await launchBrowser();
try {
  const ids = await publicIds(app);
  for (const [widthName, viewport] of Object.entries(WIDTHS)) {
    const context = await browser.newContext({ viewport, locale: 'de-DE' });
    const page = await context.newPage();
    const take = async (area, name, path) => {
      let status;
      try {
        status = (await page.goto(app.url(path)))?.status();
      } catch (err) {
        // A blank error answer (no page to show) is a finding, not a crash.
        status = `failed: ${err.message.split('\n')[0]}`;
      }
      const file = `${area}_${name}_${widthName}.png`;
      await page.screenshot({ path: join(out, file), fullPage: true });
      const { over, culprits } = await overflow(page);
      shots.push({ area, name, path, width: widthName, file, status, over, culprits });
      process.stdout.write(`${over ? '!' : '.'}`);
    };
    for (const lang of ['de', 'ar']) {
      for (const [name, p] of publicPaths(ids)) await take(`public_${lang}`, name, `/${lang}${p}`);
    }
    await signInStaff(page, app);
    for (const [name, p] of await staffPaths(page, app)) await take('staff', name, p);
    await context.clearCookies();
    await signInPortal(page, app);
    for (const [name, p] of await portalPaths(page, app)) await take('portal', name, p);
    await context.close();
  }
} finally {
  await browser.close();
  await app.stop();
}

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const areas = [...new Set(shots.map((s) => s.area))];
const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>msohub screenshots</title>
<style>body{font:14px system-ui;margin:1rem}figure{display:inline-block;vertical-align:top;margin:.5rem;width:260px}
img{width:100%;border:1px solid #ccc}figcaption{word-break:break-all}.bad{color:#b00;font-weight:bold}</style>
<h1>msohub screenshots</h1><p>${shots.length} pages; ${shots.filter((s) => s.over).length} scroll sideways.</p>
${areas
  .map(
    (area) => `<h2 id="${esc(area)}">${esc(area)}</h2>` +
      shots
        .filter((s) => s.area === area)
        .map(
          (s) => `<figure><a href="${esc(s.file)}"><img src="${esc(s.file)}" alt="" loading="lazy"></a><figcaption>${esc(s.name)} · ${esc(s.width)} · HTTP ${esc(s.status)}<br><code>${esc(s.path)}</code>${s.over ? `<br><span class="bad">scrolls ${s.over}px: ${esc(s.culprits.join(', '))}</span>` : ''}</figcaption></figure>`,
        )
        .join(''),
  )
  .join('\n')}
</html>`;
writeFileSync(join(out, 'index.html'), html);
writeFileSync(join(out, 'pages.json'), JSON.stringify(shots, null, 1));
console.log(`\n${shots.length} screenshots in ${out}/index.html; ${shots.filter((s) => s.over).length} pages scroll sideways`);
for (const s of shots.filter((s) => s.over)) console.log(`  ${s.width} ${s.path}: +${s.over}px ${s.culprits.join(', ')}`);
