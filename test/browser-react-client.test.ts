import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveApp, type AppServer } from './support/app-server.js';
import { launchChromium, pageProblems, screenshot } from './support/browser.js';
import { startLiveServer, type LiveServer } from './support/live-server.js';
import { REACT_EXAMPLE_DIST } from './support/react-example.js';

// The React example's production build (test/global-setup.ts builds it) in headless chromium, served with
// /graphql forwarded to the built server on demo data — what `npm run dev -w examples/react-client` gives a developer.
describe('React example in a real browser', { timeout: 60_000 }, () => {
  let server: LiveServer;
  let app: AppServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startLiveServer(), launchChromium()]);
    app = await serveApp(REACT_EXAMPLE_DIST, server.graphqlUrl);
    // one context for the file: the token the first visit stores in localStorage is there for the next
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    // a step that cannot happen fails in seconds, inside the test (and its screenshot), not at vitest's timeout
    context.setDefaultTimeout(10_000);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await server?.close();
  });

  /** Runs `steps` on a fresh page of the shared context; screenshots it as `name` also when a step fails. */
  async function onPage(name: string, steps: () => Promise<void>, ignore: RegExp[] = []) {
    page = await context.newPage();
    problems = pageProblems(page, ignore);
    try {
      await steps();
    } finally {
      await screenshot(page, name);
      await page.close();
    }
  }

  it('asks for a token, and shows the server’s refusal of a wrong one', () =>
    onPage(
      'react-client-wrong-token',
      async () => {
        await page.goto(app.url);
        await page.getByText('Enter a token to start').waitFor();
        await page.getByLabel('Token').fill('not-a-token');
        await page.getByRole('button', { name: 'Use token' }).click();
        await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/^the token is not valid/);
        expect(await page.getByRole('navigation', { name: 'Customers' }).getByRole('listitem').count()).toBe(0);
      },
      [/401 \(Unauthorized\)/],
    ));

  it('lists the demo customers (?token= once, then from localStorage) and shows one with its accounts and provider links', () =>
    onPage('react-client-customer', async () => {
      await page.goto(`${app.url}/?token=${encodeURIComponent(server.token)}`);
      const list = page.getByRole('navigation', { name: 'Customers' });
      await list.getByRole('button', { name: /Aino Virtanen/ }).waitFor();
      expect(await list.getByRole('heading').textContent()).toBe('Customers (24)');
      expect(await list.getByRole('listitem').count()).toBe(20);
      // the token left the address bar and stays for the next visit
      expect(page.url()).toBe(`${app.url}/`);
      await page.reload();
      await list.getByRole('button', { name: /Aino Virtanen/ }).click();

      const detail = page.getByRole('region', { name: 'Customer' });
      await detail.getByRole('heading', { name: 'Aino Virtanen' }).waitFor();
      expect(await detail.locator('dd').first().textContent()).toBe('4000000000000001001');
      const accounts = detail.locator('h3:has-text("Accounts") + ul > li');
      expect(await accounts.count()).toBeGreaterThan(0);
      expect(await accounts.first().textContent()).toMatch(/(VISA|MASTERCARD|AMEX)\s+\d{6}…\d{4}/);
      // linked to the FirstVision simulator at start
      const firstvision = detail.getByRole('row', { name: /FIRSTVISION/ });
      expect(await firstvision.getByRole('cell').allTextContents()).toEqual(['FIRSTVISION', 'SYNCED', '1', '']);
      expect(problems).toEqual([]);
    }));

  it('creates a customer: the providers’ userErrors with their field paths, then, routed to Cardlytics only, the new customer', () =>
    onPage('react-client-create', async () => {
      await page.goto(`${app.url}/?token=${encodeURIComponent(server.token)}`);
      const form = page.getByRole('form', { name: 'New customer' });
      await form.getByLabel('First name').fill('Grace');
      await form.getByLabel('Last name').fill('Hopper');
      await form.getByLabel('Email').fill('grace@example.com');
      await form.getByLabel('Street').fill('1 Navy Yard');
      await form.getByLabel('City').fill('Arlington');
      await form.getByLabel('Postal code').fill('22202');
      await form.getByLabel('Country (ISO code)').fill('US');
      // all five ticked by default: the four that need more than this form asks for refuse, with where
      await form.getByRole('button', { name: 'Create customer' }).click();
      const userErrors = form.getByRole('list', { name: 'User errors' });
      await userErrors.waitFor();
      const shown = await userErrors.textContent();
      expect(shown).toContain('input.customer.locale');
      expect(shown).toContain('input.customer.identities');
      expect(shown).toMatch(/ENFUCE/);
      expect(await form.getByRole('status').count()).toBe(0);

      for (const provider of ['ENFUCE', 'NOAH', 'FLOLIVE', 'FIRSTVISION']) await form.getByLabel(provider).uncheck();
      await form.getByRole('button', { name: 'Create customer' }).click();
      await expect.poll(() => form.getByRole('status').textContent().catch(() => '')).toMatch(/^Created Grace Hopper \(\d{19}\): CARDLYTICS SYNCED$/);
      expect(await userErrors.count()).toBe(0);

      // the new customer is selected, and the list (refetched: the mutation returned a Customer) counts it
      const detail = page.getByRole('region', { name: 'Customer' });
      await detail.getByRole('heading', { name: 'Grace Hopper' }).waitFor();
      expect(await detail.getByRole('row', { name: /CARDLYTICS/ }).getByRole('cell').allTextContents()).toEqual(['CARDLYTICS', 'SYNCED', '1', '']);
      const list = page.getByRole('navigation', { name: 'Customers' });
      await expect.poll(() => list.getByRole('heading').textContent()).toBe('Customers (25)');
      await list.getByRole('button', { name: 'Next page' }).click();
      await list.getByRole('button', { name: /Grace Hopper/ }).waitFor();
      expect(problems).toEqual([]);
    }));
});

describe('React example in a real browser, trusted documents', { timeout: 60_000 }, () => {
  const manifest = fileURLToPath(new URL('../examples/react-client/src/gql/persisted-documents.json', import.meta.url));
  let server: LiveServer;
  let app: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startLiveServer({ TRUSTED_DOCUMENTS: manifest }), launchChromium()]);
    app = await serveApp(REACT_EXAMPLE_DIST, server.graphqlUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await server?.close();
  });

  it('with ?trusted=1 sends hashes only, which a server accepting nothing but the app’s manifest runs', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(10_000);
    const problems = pageProblems(page);
    const sent: unknown[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/graphql') sent.push(request.postDataJSON());
    });
    try {
      await page.goto(`${app.url}/?trusted=1&token=${encodeURIComponent(server.token)}`);
      await page.getByText('trusted documents').waitFor();
      const list = page.getByRole('navigation', { name: 'Customers' });
      await list.getByRole('button', { name: /Aino Virtanen/ }).click();
      await page.getByRole('region', { name: 'Customer' }).getByRole('heading', { name: 'Aino Virtanen' }).waitFor();
      expect(sent).toHaveLength(2);
      for (const body of sent) {
        expect(body).not.toHaveProperty('query');
        expect(body).toMatchObject({ extensions: { persistedQuery: { version: 1, sha256Hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) } } });
      }
      expect(problems).toEqual([]);
    } finally {
      await screenshot(page, 'react-client-trusted-documents');
    }
  });
});
