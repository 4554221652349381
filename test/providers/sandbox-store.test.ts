import { describe, expect, it } from 'vitest';
import { SandboxStore } from '../../src/providers/sandbox-kit.js';

describe('SandboxStore (the simulators\' state)', () => {
  it('finds records by an indexed JSON path, oldest first, through the expression index', () => {
    const store = new SandboxStore('ENFUCE', ':memory:', ['$.customer.regNo']);
    store.put('customers', 'b', { customer: { regNo: 'R1', n: 2 } }, 2000);
    store.put('customers', 'a', { customer: { regNo: 'R1', n: 1 } }, 1000);
    store.put('customers', 'c', { customer: { regNo: 'R2', n: 3 } }, 3000);
    store.put('other', 'd', { customer: { regNo: 'R1', n: 4 } }, 500);
    expect(store.findBy<{ customer: { n: number } }>('customers', '$.customer.regNo', 'R1').map((r) => r.customer.n)).toEqual([1, 2]);
    expect(store.findBy('customers', '$.customer.regNo', 'R9')).toEqual([]);
    // a replaced record is found by its new value only, and keeps its place
    store.put('customers', 'a', { customer: { regNo: 'R2', n: 1 } }, 4000);
    expect(store.findBy<{ customer: { n: number } }>('customers', '$.customer.regNo', 'R2').map((r) => r.customer.n)).toEqual([1, 3]);
    expect(store.count('customers')).toBe(3);
    const plan = (store as unknown as { db: import('better-sqlite3').Database }).db
      .prepare("explain query plan select body from records where collection = ? and json_extract(body, '$.customer.regNo') = ?")
      .all('customers', 'R1') as { detail: string }[];
    expect(plan.map((row) => row.detail).join(' ')).toMatch(/USING INDEX records_customer_regNo/);
    store.close();
  });

  it('refuses a path it does not index, and one that is not a plain JSON path', () => {
    const store = new SandboxStore('NOAH', ':memory:', ['$.a']);
    expect(() => store.findBy('customers', '$.b', 'x')).toThrow(/\$\.b is not indexed/);
    store.close();
    expect(() => new SandboxStore('NOAH', ':memory:', ["$.a') or 1=1 --" as `$.${string}`])).toThrow(/not a plain JSON path/);
  });

  it('put says whether the key was new', () => {
    const store = new SandboxStore('NOAH', ':memory:');
    expect(store.put('c', 'k', { v: 1 })).toBe(true);
    expect(store.put('c', 'k', { v: 2 })).toBe(false);
    expect(store.get('c', 'k')).toEqual({ v: 2 });
    store.close();
  });

  it('a transaction stores all of its puts, or none of them when it fails', () => {
    const store = new SandboxStore('CARDLYTICS', ':memory:');
    store.transaction(() => {
      store.put('customers', 'a', { n: 1 });
      store.put('customers', 'b', { n: 2 });
    });
    expect(store.list('customers')).toEqual([{ n: 1 }, { n: 2 }]);
    expect(() =>
      store.transaction(() => {
        store.put('customers', 'c', { n: 3 });
        throw new Error('refused half-way');
      }),
    ).toThrow('refused half-way');
    expect(store.count('customers')).toBe(2);
    expect(store.get('customers', 'c')).toBeUndefined();
    store.close();
  });
});

