// Page weight of the public pages: bytes over the wire (compressed, as the
// browser received them), per page with everything it loads, cold cache.
// Usage: node e2e/weight.mjs   (needs target/debug/msohub or MSOHUB_BIN)

import { launchBrowser, startApp } from './app.mjs';
import { publicIds } from './pages.mjs';

const app = await startApp({ demo: true });
const browser = await launchBrowser();
try {
  const ids = await publicIds(app);
  const pages = [
    ['home', '/de/'],
    ['search', '/de/search?q=Deutschkurs'],
    ['organisation', `/de/organisations/${ids.organisation}`],
    ['home (ar)', '/ar/'],
  ];
  console.log('page                     html (gzip)   all resources   requests');
  for (const [name, path] of pages) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    let total = 0;
    let requests = 0;
    let html = 0;
    const urls = new Map();
    cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url));
    cdp.on('Network.loadingFinished', (e) => {
      total += e.encodedDataLength;
      requests++;
      if (new URL(urls.get(e.requestId) ?? 'http://x/').pathname === new URL(app.url(path)).pathname) html = e.encodedDataLength;
    });
    await page.setExtraHTTPHeaders({ 'accept-encoding': 'gzip' });
    await page.goto(app.url(path), { waitUntil: 'networkidle' });
    if (process.env.WEIGHT_DETAIL) for (const [id, u] of urls) console.log('   ', u);
    console.log(`${name.padEnd(24)} ${String(html).padStart(10)} B ${String(total).padStart(13)} B ${String(requests).padStart(10)}`);
    await context.close();
  }
} finally {
  await browser.close();
  await app.stop();
}
