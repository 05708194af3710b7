// The console's browser specs: Debian's Chromium driven by playwright-core against a real
// MiniCluster with its REST API on a free port. Without /usr/bin/chromium the specs are skipped,
// each saying why in its title (never a silent pass). Screenshots go to one temp directory per spec
// file, whose path the first test logs; they are kept as artifacts.
import test, { type ExecutionContext, type ImplementationFn } from 'ava';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { MiniCluster, type MiniClusterOptions } from '../../../../cluster/minicluster.ts';

export const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
/** How long the page may take to show what a spec waits for (polls run every second). */
export const PAGE_TIMEOUT_MS = 15_000;

let browser: Browser | undefined;
let screenshots: string | undefined;

if (HAS_CHROMIUM) {
  test.before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  test.after.always(async () => {
    await browser?.close();
  });
}

/** A cluster, a bundling and a browser on a shared 2-core machine: more than ava's default minute may pass. */
const BROWSER_TEST_TIMEOUT_MS = 120_000;

/** A browser test, or a skipped one whose title says Chromium is missing and how to install it. */
export function browserTest(title: string, implementation: ImplementationFn<[]>): void {
  if (HAS_CHROMIUM) {
    test.serial(title, (t) => {
      t.timeout(BROWSER_TEST_TIMEOUT_MS);
      return implementation(t);
    });
  }
  else test.skip(`${title} (skipped: no ${CHROMIUM}; apt-get install -y chromium)`, implementation);
}

export interface ConsoleSession {
  readonly cluster: MiniCluster;
  readonly url: string;
  readonly page: Page;
  /** Saves a full-page screenshot named `name` in the spec file's screenshot directory. */
  screenshot(name: string): Promise<void>;
}

/** A MiniCluster with its REST API, and a fresh browser page on its console (closed in teardown). */
export async function openConsole(t: ExecutionContext, options: MiniClusterOptions = {}): Promise<ConsoleSession> {
  if (!browser) throw new Error('the browser did not start');
  const cluster = await MiniCluster.start({ log: { level: 'off' }, rest: { port: 0 }, ...options });
  t.teardown(() => cluster.close());
  const url = cluster.restUrl;
  if (!url) throw new Error('the mini cluster started no REST API');
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  t.teardown(() => context.close());
  const page = await context.newPage();
  page.setDefaultTimeout(PAGE_TIMEOUT_MS);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  t.teardown(() => {
    if (errors.length > 0) throw new Error(`the page threw: ${errors.join('; ')}`);
  });
  if (!screenshots) {
    screenshots = mkdtempSync(join(tmpdir(), 'weir-console-screenshots-'));
    t.log(`screenshots: ${screenshots}`);
  }
  const directory = screenshots;
  return { cluster, url, page, screenshot: async (name) => void (await page.screenshot({ path: join(directory, `${name}.png`), fullPage: true })) };
}
