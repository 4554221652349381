import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { onPostgres } from './test-database.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Where browser tests write their screenshots (gitignored; .ci/run prints it). */
export const ARTIFACTS_DIR = join(root, 'test-artifacts');

/** Debian's chromium, or CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';

/**
 * Headless, no sandbox (tests run as root in containers), and nothing chromium would fetch on its own
 * (updates, sync, QUIC probes): on a closed network those calls only time out and flood the log.
 * playwright-core gives every launch a fresh profile directory.
 */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts headless chromium through playwright-core. Fails with how to install it when the
 * executable is missing.
 * @example const browser = await launchChromium(); const page = await browser.newPage();
 */
export async function launchChromium(executablePath = CHROMIUM_PATH): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new Error(
      `chromium is not installed at ${executablePath}: run scripts/ensure-chromium.sh (installs Debian's chromium), or set CHROMIUM_PATH to a chromium or chrome executable`,
    );
  }
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
}

/** Saves a full-page screenshot as test-artifacts/<name>-<dialect>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}-${onPostgres ? 'postgres' : 'sqlite'}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Collects what a page reports as broken: uncaught exceptions and console errors. A test asserts it
 * stays empty, so an app that renders but throws does not pass.
 */
export function pageProblems(page: Page, ignore: RegExp[] = []): string[] {
  const problems: string[] = [];
  const keep = (text: string) => !ignore.some((pattern) => pattern.test(text)) && problems.push(text);
  page.on('pageerror', (error) => keep(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') keep(`console.error: ${message.text()}`);
  });
  return problems;
}
