import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, pageProblems, screenshot } from './support/browser.js';
import { startLiveServer, type LiveServer } from './support/live-server.js';

/** Monaco draws spaces as no-break spaces and only the lines in view: the visible text, plain. */
const visibleText = async (locator: Locator) => ((await locator.textContent()) ?? '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ');

// GraphiQL as a person uses it: the built server's bundled GraphiQL in headless chromium.
describe('GraphiQL in a real browser', { timeout: 60_000 }, () => {
  let server: LiveServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startLiveServer(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('runs the default example query with an Authorization header set in the Headers tab, and shows the demo customers', async () => {
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // the request made while the header is empty is refused (401): expected, not a page problem
    const problems = pageProblems(page, [/401 \(Unauthorized\)/]);
    try {
      await runExampleQuery(problems);
    } finally {
      // also on failure: the screenshot shows what the page looked like
      await screenshot(page, 'graphiql-first-customers');
    }
  });

  async function runExampleQuery(problems: string[]) {
    await page.goto(server.graphqlUrl);
    const execute = page.getByRole('button', { name: /Execute query/ });
    await execute.waitFor();
    const query = page.locator('.graphiql-query-editor');
    await expect.poll(() => visibleText(query)).toContain('query FirstCustomers');
    const response = page.locator('.graphiql-response');

    // the Headers tab starts with the sandbox token: empty it first, so the test proves it sets the header itself
    await page.getByRole('button', { name: 'Headers', exact: true }).click();
    const headers = page.locator('.graphiql-editor-tool .graphiql-editor').last();
    await headers.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await expect.poll(() => visibleText(headers)).not.toContain('Authorization');
    await execute.click();
    await expect.poll(() => visibleText(response)).toContain('"code": "UNAUTHENTICATED"');

    // one line: typed newlines would let the editor's auto-indent and bracket closing rewrite the JSON
    await headers.click();
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${server.token}` }));
    await execute.click();
    await expect.poll(() => visibleText(response), { timeout: 15_000 }).toContain('"customerNumber": "4000000000000001001"');
    const shown = await visibleText(response);
    expect(shown).toContain('"displayName": "Aino Virtanen"');
    expect(shown).toMatch(/"totalCount": \d+/);
    expect(shown).not.toContain('"errors"');
    expect(problems).toEqual([]);
  }
});
