import { GraphQLError } from 'graphql';
import { Repeater } from 'graphql-yoga';
import type { CustomerRow, ProviderLinkRow } from '../db/schema.js';
import { linkOfSnapshot, snapshotOf, type LinkSnapshot, type LinkUpdates } from './link-updates.js';

/** One event of the providerLinkUpdated subscription: which customer, and its link as it now stands. */
export interface ProviderLinkUpdate {
  customer: CustomerRow;
  link: ProviderLinkRow;
}

/**
 * One customer's provider links for a subscriber: first each link as it stands, then every change
 * as it is announced. It listens before it reads the links, so nothing committed in between is
 * missed; a change it has already shown (the read saw it) or one older than what it has shown for
 * that link is skipped. Returning the stream (the client went away) removes its listener at once,
 * even while it waits for a change. Changes are taken from the pubsub as they come, whatever the
 * client's pace: a client that falls 1,024 events behind has its stream ended with an error
 * (the repeater's overflow), where a full queue inside the pubsub's listener would throw in the
 * publisher's event dispatch instead.
 * @example for await (const update of linkUpdateStream({ linkUpdates, customer, currentLinks })) …
 */
export function linkUpdateStream(args: {
  linkUpdates: LinkUpdates;
  customer: CustomerRow;
  /** The customer's links as stored now (read after listening started). */
  currentLinks: () => Promise<readonly ProviderLinkRow[]>;
  /** When the subscriber's credentials expire: the stream ends then with TOKEN_EXPIRED. */
  endsAt?: Date | undefined;
}): Repeater<ProviderLinkUpdate> {
  return new Repeater<ProviderLinkUpdate>(async (push, stop) => {
    if (args.endsAt) endAt(args.endsAt, stop);
    const changes = args.linkUpdates.subscribe(args.customer.id);
    // the first next() starts listening; what arrives meanwhile waits in the repeater
    let next = changes.next();
    void stop.then(() => changes.return());
    const shown = new Map<string, LinkSnapshot>();
    const show = (link: LinkSnapshot) => {
      const before = shown.get(link.id);
      if (before && (link.updatedAt < before.updatedAt || JSON.stringify(link) === JSON.stringify(before))) return;
      shown.set(link.id, link);
      // not awaited: the client takes events at its own pace (push throws once it is too far behind)
      void push({ customer: args.customer, link: linkOfSnapshot(link) });
    };
    for (const link of await args.currentLinks()) show(snapshotOf(link));
    for (;;) {
      const change = await next;
      if (change.done) break;
      next = changes.next();
      show(change.value);
    }
  });
}

/** Longest delay setTimeout takes (~24.8 days); a later end is waited for in steps. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Stops the stream with TOKEN_EXPIRED at `at`, unless it stopped before. */
function endAt(at: Date, stop: ((error?: unknown) => void) & Promise<unknown>): void {
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    const left = at.getTime() - Date.now();
    if (left > 0) {
      timer = setTimeout(check, Math.min(left, MAX_TIMEOUT_MS));
      return;
    }
    stop(new GraphQLError('the token has expired: subscribe again with a new one', { extensions: { code: 'TOKEN_EXPIRED' } }));
  };
  check();
  void stop.then(() => clearTimeout(timer));
}
