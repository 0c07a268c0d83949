// Test harness for the browser tests: starts the msohub binary on a free
// loopback port against a fresh SQLite database, launches Debian's Chromium
// through playwright-core, injects axe-core, and takes screenshots.
//
// Environment:
//   MSOHUB_BIN                path to the binary (default: target/debug/msohub,
//                             relative paths are taken from the repository root)
//   MSOHUB_E2E_BASE_URL       test an already running instance instead of spawning one
//   MSOHUB_E2E_SCREENSHOTS    screenshot folder (default: e2e/screenshots/)
//   MSOHUB_E2E_CHROMIUM       browser binary (default: /usr/bin/chromium)
//   MSOHUB_E2E_SHOW_LOGS=1    print the app's output after the run

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { constants as osConstants, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const STARTUP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const MAX_LOG_CHARS = 64 * 1024;
const SETPRIV = '/usr/bin/setpriv';

/** Asks the kernel for a free port: listen on port 0, read it, close. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the app (or attaches to MSOHUB_E2E_BASE_URL) and resolves once
 * GET /healthz answers 200 with the search indexes ready.
 *
 * Options:
 *   demo: true   start `msohub serve --demo`, which loads the demo data set
 *                (with the demo accounts) into the fresh database.
 *                Ignored for MSOHUB_E2E_BASE_URL: that instance must have been
 *                started with --demo itself.
 *
 * Returns { baseUrl, url(path), logs(), stop() }.
 */
export async function startApp({ demo = false } = {}) {
  const external = process.env.MSOHUB_E2E_BASE_URL;
  if (external) {
    const baseUrl = external.replace(/\/+$/, '');
    await waitForHealthy(baseUrl, { logs: () => '(external instance, no logs)' });
    return {
      baseUrl,
      url: (path) => new URL(path, baseUrl + '/').href,
      logs: () => '',
      stop: async () => {},
    };
  }

  const bin = resolve(repoRoot, process.env.MSOHUB_BIN || 'target/debug/msohub');
  if (!existsSync(bin)) {
    throw new Error(
      `msohub binary not found at ${bin}: run \`cargo build\`, or set MSOHUB_BIN, ` +
        'or point MSOHUB_E2E_BASE_URL at a running instance',
    );
  }
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'msohub-e2e-'));
  const databaseUrl = `sqlite://${join(dataDir, 'msohub.db')}?mode=rwc`;
  const baseUrl = `http://127.0.0.1:${port}`;

  let output = '';
  const append = (chunk) => {
    output += chunk.toString();
    if (output.length > MAX_LOG_CHARS) output = output.slice(-MAX_LOG_CHARS);
  };

  const args = ['serve', '--bind', `127.0.0.1:${port}`, '--database-url', databaseUrl];
  if (demo) args.push('--demo');
  // setpriv --pdeathsig: the kernel kills the app when this process dies, even
  // by SIGKILL, where no exit handler of ours can run.
  const [command, argv] = existsSync(SETPRIV)
    ? [SETPRIV, ['--pdeathsig', 'KILL', '--', bin, ...args]]
    : [bin, args];

  // cwd is the temp dir so that nothing the app writes by default (./data, ...)
  // lands in the repository.
  const child = spawn(
    command,
    argv,
    {
      cwd: dataDir,
      env: { ...process.env, MSOHUB_DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.on('data', append);
  child.stderr.on('data', append);

  let exited = null;
  const exitPromise = new Promise((r) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      r(exited);
    });
    child.once('error', (err) => {
      exited = { code: null, signal: null, error: err };
      r(exited);
    });
  });
  // Never leave the server (or its temp dir) behind if the test process dies
  // or is interrupted (Ctrl-C, the test runner going away).
  const killOnExit = () => {
    if (!exited) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  };
  const onSignal = (signal) => {
    killOnExit();
    process.exit(128 + (osConstants.signals[signal] ?? 1));
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  process.once('exit', killOnExit);
  for (const sig of signals) process.once(sig, onSignal);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    for (const sig of signals) process.removeListener(sig, onSignal);
    if (!exited) {
      child.kill('SIGTERM');
      const done = await Promise.race([exitPromise, sleep(STOP_TIMEOUT_MS).then(() => null)]);
      if (!done) {
        child.kill('SIGKILL');
        await exitPromise;
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForHealthy(baseUrl, { logs: () => output, exited: () => exited, bin });
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    baseUrl,
    url: (path) => new URL(path, baseUrl + '/').href,
    logs: () => output,
    stop,
  };
}

async function waitForHealthy(baseUrl, { logs, exited = () => null, bin = '' }) {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    const gone = exited();
    if (gone) {
      const why = gone.error
        ? `could not be started: ${gone.error.message}`
        : `exited early (code ${gone.code}, signal ${gone.signal})`;
      throw new Error(`msohub ${bin} ${why}\n--- app output ---\n${logs()}`);
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      const body = await res.text();
      // Up, and its search indexes filled: a first start builds them in
      // the background while it answers (the public search says so).
      let search = 'ready';
      try {
        search = JSON.parse(body).search ?? 'ready';
      } catch {
        // not JSON: the status decides
      }
      if (res.status === 200 && search !== 'warming') return;
      lastProblem = `GET /healthz answered ${res.status} (search ${search})`;
    } catch (err) {
      lastProblem = `GET /healthz failed: ${err.cause?.code ?? err.message}`;
    }
    await sleep(150);
  }
  throw new Error(
    `msohub at ${baseUrl} not healthy after ${STARTUP_TIMEOUT_MS / 1000} s (${lastProblem})\n` +
      `--- app output ---\n${logs()}`,
  );
}

/** Launches Debian's Chromium headless with networking side-channels off. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.MSOHUB_E2E_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

let axeSource;

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the current page and returns
 * the violations. The page must belong to a context created with
 * `bypassCSP: true`: the app's CSP forbids the inline script that carries axe.
 */
export async function runAxe(page) {
  axeSource ??= readFileSync(join(repoRoot, 'node_modules/axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.addScriptTag({ content: axeSource });
  }
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(', '),
        summary: n.failureSummary ?? '',
      })),
    }));
  });
}

/** Human-readable list of axe violations for an assertion message. */
export function formatViolations(label, violations) {
  const lines = [`${violations.length} axe violation(s) on ${label}:`];
  for (const v of violations) {
    lines.push(`- ${v.id} [${v.impact}]: ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes) {
      lines.push(`    at ${n.target}`);
      for (const s of n.summary.split('\n').filter(Boolean)) lines.push(`       ${s.trim()}`);
    }
  }
  return lines.join('\n');
}

/** Absolute screenshot folder (created). */
export function screenshotDir() {
  const dir = resolve(process.env.MSOHUB_E2E_SCREENSHOTS || join(repoRoot, 'e2e/screenshots'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Full-page PNG named after the URL path, e.g. /de/organisationen -> de_organisationen.png */
export async function screenshot(page, dir, name) {
  const slug =
    name ??
    (decodeURIComponent(new URL(page.url()).pathname)
      .replace(/^\/+|\/+$/g, '')
      .replace(/[^\p{L}\p{N}._-]+/gu, '_') || 'root');
  const path = join(dir, `${slug}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Records everything that goes wrong on a page: console errors, uncaught
 * exceptions, failed requests and HTTP errors. Set `watch.at` to the step
 * being run; `watch.problems` lists "step: problem" lines.
 */
export function watchProblems(page) {
  const watch = { at: '', problems: [] };
  const problem = (text) => watch.problems.push(`${watch.at}: ${text}`);
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/favicon\.ico/.test(msg.location()?.url ?? '')) {
      problem(`console error: ${msg.text()}`);
    }
  });
  page.on('pageerror', (err) => problem(`page error: ${err.message}`));
  page.on('requestfailed', (req) => {
    // The browser fetches the icon lazily and aborts that fetch when the
    // next navigation starts; that is not a failure of the page.
    if (/\/favicon\.(ico|svg)/.test(req.url()) && req.failure()?.errorText === 'net::ERR_ABORTED') return;
    problem(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && !res.url().endsWith('/favicon.ico')) {
      problem(`HTTP ${res.status()} for ${res.url()}`);
    }
  });
  return watch;
}
