import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers.js';
import { testYogaLogger } from './log-capture.js';
import { rawRun } from './support/raw-sql.js';

describe('HTTP surface', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ demo: true });
  });
  afterAll(() => t.close());

  it('serves GraphiQL at /graphql to a browser, opening with the example query', async () => {
    const response = await t.app.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('<title>customer-graph</title>');
    expect(html).toContain('query FirstCustomers');
  });

  it('serves GraphiQL from its own bundled assets by default, so it works without internet access', async () => {
    const html = await (await t.app.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } })).text();
    expect(html).not.toMatch(/unpkg\.com/);
  });

  it('GRAPHIQL=cdn serves the small page that loads assets from unpkg; GRAPHIQL=off serves none', async () => {
    const { createApp } = await import('../src/app.js');
    const cdn = createApp({ database: t.database, providers: t.providers, authenticator: t.authenticator, graphiql: 'cdn', logging: testYogaLogger });
    const cdnHtml = await (await cdn.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } })).text();
    expect(cdnHtml).toMatch(/unpkg\.com/);
    expect(cdnHtml).toContain('query FirstCustomers');

    const off = createApp({ database: t.database, providers: t.providers, authenticator: t.authenticator, graphiql: 'off', logging: testYogaLogger });
    const response = await off.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toMatch(/graphiql/i);
  });

  it('GraphiQL example query runs without errors on the demo data', async () => {
    const { GRAPHIQL_EXAMPLE_QUERY } = await import('../src/app.js');
    const { body } = await t.graphql(GRAPHIQL_EXAMPLE_QUERY);
    expect(body.errors).toBeUndefined();
    expect(body.data.customers.edges).toHaveLength(5);
  });

  it('GET /health reports the database as ready', async () => {
    const response = await t.app.fetch('http://localhost/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      checks: {
        database: 'ok',
        circuits: { ENFUCE: 'CLOSED', NOAH: 'CLOSED', CARDLYTICS: 'CLOSED', FLOLIVE: 'CLOSED', FIRSTVISION: 'CLOSED' },
      },
    });
  });

  it('GET /health answers 503 once the database is gone', async () => {
    const other = await createTestApp();
    await other.close();
    const response = await other.app.fetch('http://localhost/health');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'unavailable' });
  });

  it('GET /metrics serves Prometheus text with per-operation counts and durations and the SQL counter', async () => {
    await t.graphql('query CountMe { customers(first: 2) { edges { node { id identities { id } } } } }');
    await t.graphql('query CountMe { customers(first: 2) { edges { node { id } } } }');
    await t.graphql('query Broken { customers(first: 500) { totalCount } }');
    const response = await t.app.fetch('http://localhost/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await response.text();
    expect(text).toContain('graphql_operations_total{operation="CountMe",type="query",outcome="ok"} 2');
    expect(text).toContain('graphql_operations_total{operation="Broken",type="query",outcome="error"} 1');
    expect(text).toContain('graphql_operation_duration_seconds_count{operation="CountMe",type="query"} 2');
    expect(text).toContain('graphql_errors_total{code="BAD_USER_INPUT"} 1');
    const sql = /^sql_statements_total (\d+)$/m.exec(text);
    expect(Number(sql?.[1])).toBe(t.statements.length);
    expect(Number(sql?.[1])).toBeGreaterThan(0);
  });

  it('masks unexpected errors: no internals leak, the code says INTERNAL_SERVER_ERROR', async () => {
    const broken = await createTestApp({ demo: true });
    await rawRun(broken.database, 'alter table identities rename to identities_gone');
    const { status, body } = await broken.graphql('{ customers(first: 1) { edges { node { identities { id } } } } }');
    await broken.close();
    expect(status).toBe(200);
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.message).toBe('Unexpected error.');
    expect(body.errors![0]!.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(JSON.stringify(body)).not.toMatch(/identities_gone|no such table|does not exist|sqlite|postgres/i);
  });

  it('answers a syntax error with 400 and a message, not a 500', async () => {
    const { status, body } = await t.graphql('{ customers(first: ) }');
    expect(status).toBe(400);
    expect(body.errors![0]!.message).toMatch(/Syntax Error/);
  });

  it('rejects a field that does not exist with a validation error', async () => {
    const { status, body } = await t.graphql('{ customers { edges { node { pan } } } }');
    expect(status).toBe(400);
    expect(body.errors![0]!.message).toMatch(/Cannot query field "pan"/);
  });
});

describe('reading every field', () => {
  it('serialises every field of every demo customer without an error (scalars accept what the model stores)', async () => {
    const t = await createTestApp({ demo: true });
    const { body } = await t.graphql(`{
      customers(first: 100) { edges { node {
        id customerNumber kind status displayName businessName dateOfBirth gender locale currency email
        name { salutation title first middle last suffix }
        phones { mobile landline additional work } nationalities
        screening { pep sanctions riskScore }
        organization { id name parent { name } createdAt }
        parent { id } subCustomers { id }
        identities { id type number issuingCountry issuedOn expiresOn customer { id } }
        addresses { id kind line1 line2 buildingNumber buildingName floor apartment entrance poBox city county region
          postalCode country validFrom validUntil isPrimary recipientName company customer { id } }
        accounts { id accountNumber type status currency openedOn closedOn portfolioId createdAt updatedAt
          holders { id } primaryHolder { id } relationship { id relationshipNumber createdAt customers { id } accounts { id } }
          cards { id last4 iin type status network openedOn closedOn account { id } holder { id } } }
        cards { id } relationships { id }
        providerLinks { provider status externalId requestId error attempts lastAttemptAt deadLetteredAt updatedAt }
        createdAt updatedAt
      } } }
    }`);
    t.close();
    expect(body.errors).toBeUndefined();
    expect(body.data.customers.edges).toHaveLength(24);
    expect(body.data.customers.edges[0].node.locale).toBe('fi_FI');
  });
});
