import type { Database } from '../../src/db/client.js';
import type { ProviderName } from '../../src/domain/enums.js';
import { rawRows } from './raw-sql.js';

/** Waits until no outbox row is due or in flight and no link is pending; throws after `timeoutMs`. */
export async function waitUntilDrained(database: Database, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [busy] = await rawRows<{ n: number | string }>(
      database,
      `select (select count(*) from outbox where status in ('PENDING','IN_FLIGHT'))
            + (select count(*) from provider_links where status in ('PENDING','IN_PROGRESS')) as n`,
    );
    if (Number(busy!.n) === 0) return;
    if (Date.now() > deadline) throw new Error(`outbox did not drain: ${busy!.n} rows/links left`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** How each simulator's stored customer names the customer it was sent. */
const CUSTOMER_KEY: Record<ProviderName, (record: any) => string> = {
  NOAH: (record) => record.CustomerID,
  ENFUCE: (record) => record.customer.customerNumber,
  CARDLYTICS: (record) => record.sourceCustomerId,
  FIRSTVISION: (record) => record.customerNumber,
  FLOLIVE: (record) => record.name ?? record.request?.name ?? JSON.stringify(record),
};

/** The key of every customer a simulator holds (`origin`: where /sandbox/<provider> is served). */
export async function simulatorCustomerKeys(origin: string, provider: ProviderName): Promise<string[]> {
  const state = (await (await fetch(`${origin}/sandbox/${provider.toLowerCase()}/_state`)).json()) as { records: { customers?: unknown[] } };
  return (state.records.customers ?? []).map(CUSTOMER_KEY[provider]);
}
