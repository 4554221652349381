import { builder } from '../builder.js';
import { lookupCustomers, type LookupMatch } from '../domain/customer-lookup.js';
import { MATCH_MODES } from '../domain/text-match.js';
import { AppError, ErrorCode } from '../errors.js';
import type { FirstvisionLookupMatch } from '../providers/firstvision/read-model.js';
import { RecordSource } from './enums.js';
import { pii } from './pii.js';
import { CustomerRef } from './refs.js';

const MatchMode = builder.enumType('MatchMode', {
  description:
    'How a text criterion matches, ignoring case and accents: EXACT, BEGINS_WITH, ENDS_WITH, or FUZZY (within 1 edit for 4–7 characters, 2 beyond; short values must be exact).',
  values: MATCH_MODES,
});

const LookupTextInput = builder.inputType('LookupTextInput', {
  fields: (t) => ({
    value: t.string({ required: true }),
    mode: t.field({ type: MatchMode, required: true, defaultValue: 'EXACT' }),
  }),
});

const CustomerLookupInput = builder.inputType('CustomerLookupInput', {
  description: 'Every given criterion must match. Text criteria have their own match mode.',
  fields: (t) => ({
    name: t.field({ type: LookupTextInput, description: 'Last name or business name.' }),
    firstName: t.field({ type: LookupTextInput }),
    identifier: t.field({ type: LookupTextInput, description: 'An identity number or the customer number.' }),
    phone: t.field({ type: LookupTextInput, description: 'Any of the customer’s phones, compared on digits only.' }),
    postalCode: t.field({ type: LookupTextInput }),
    dateOfBirth: t.field({ type: 'Date' }),
    country: t.field({ type: 'CountryCode', description: 'An address country or a nationality.' }),
    first: t.int({ description: 'Page size, 0 to 100; default 20.' }),
    after: t.string({ description: 'The endCursor of the previous page.' }),
  }),
});

const FirstvisionCustomerMatch = builder.objectRef<FirstvisionLookupMatch>('FirstvisionCustomerMatch').implement({
  description: 'A customer as FirstVision’s lookup returned it.',
  fields: (t) => ({
    organizationNumber: t.exposeInt('organizationNumber'),
    customerNumber: t.exposeString('customerNumber'),
    firstName: t.exposeString('firstName', { nullable: true }),
    lastName: t.exposeString('lastName', { nullable: true }),
    dateOfBirth: t.field({
      type: 'Date',
      nullable: true,
      description: 'Null without the scope pii:read.',
      resolve: (match, _args, context) => pii(context, match.dateOfBirth, () => null),
    }),
    postalCode: t.exposeString('postalCode', { nullable: true }),
  }),
});

const CustomerLookupMatch = builder.objectRef<LookupMatch>('CustomerLookupMatch').implement({
  fields: (t) => ({
    customer: t.field({
      type: CustomerRef,
      nullable: true,
      description: 'The customer here; null when only FirstVision knows it (see firstvision).',
      resolve: (match) => match.customer,
    }),
    firstvision: t.field({ type: FirstvisionCustomerMatch, nullable: true, resolve: (match) => match.firstvision }),
    score: t.float({
      description: 'Ranking, 0–1: the mean of the criteria’s match quality (exact 1, prefix/suffix 0.8, fuzzy 0.8/0.7), a little more when both sources found it.',
      resolve: (match) => match.score,
    }),
    sources: t.field({ type: [RecordSource], resolve: (match) => match.sources }),
  }),
});

const CustomerLookupEdge = builder
  .objectRef<{ cursor: string; node: LookupMatch }>('CustomerLookupEdge')
  .implement({
    fields: (t) => ({
      cursor: t.exposeString('cursor'),
      node: t.field({ type: CustomerLookupMatch, resolve: (edge) => edge.node }),
    }),
  });

interface SourceError {
  source: 'FIRSTVISION';
  code: string;
  message: string;
}

// Plain objects, not the ProviderError itself: graphql-js reads an Error in a list as a thrown error.
const LookupSourceError = builder.objectRef<SourceError>('LookupSourceError').implement({
  description: 'A source that could not be searched; the results are those of the other sources.',
  fields: (t) => ({
    source: t.expose('source', { type: RecordSource }),
    code: t.exposeString('code', { description: 'A provider error code, e.g. PROVIDER_UNAVAILABLE.' }),
    message: t.exposeString('message'),
  }),
});

interface LookupPage {
  edges: { cursor: string; node: LookupMatch }[];
  totalCount: number;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  sourceErrors: SourceError[];
}

const CustomerLookupResult = builder.objectRef<LookupPage>('CustomerLookupResult').implement({
  fields: (t) => ({
    edges: t.field({ type: [CustomerLookupEdge], resolve: (page) => page.edges }),
    pageInfo: t.field({
      type: builder.pageInfoRef(),
      resolve: (page) => ({
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.hasPreviousPage,
        startCursor: page.edges[0]?.cursor ?? null,
        endCursor: page.edges.at(-1)?.cursor ?? null,
      }),
    }),
    totalCount: t.exposeInt('totalCount'),
    sourceErrors: t.field({ type: [LookupSourceError], resolve: (page) => page.sourceErrors }),
  }),
});

const CURSOR = 'lookup:v1:';

function decodeOffset(cursor: string): number {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = new RegExp(`^${CURSOR}(\\d{1,6})$`).exec(decoded);
  if (!match) throw new AppError(ErrorCode.INVALID_CURSOR, `"${cursor.slice(0, 40)}" is not a lookup cursor`, { argument: ['input', 'after'] });
  return Number(match[1]);
}

builder.queryField('customerLookup', (t) =>
  t.field({
    type: CustomerLookupResult,
    description:
      'Finds customers by name, identifier, phone, postal code, date of birth or country, each text criterion with its own match mode. Local customers and FirstVision’s matches are merged, one entry per customer, ranked by score.',
    args: { input: t.arg({ type: CustomerLookupInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const first = input.first ?? 20;
      if (!Number.isInteger(first) || first < 0 || first > 100) {
        throw new AppError(ErrorCode.BAD_USER_INPUT, `first must be between 0 and 100, got ${first}`, { argument: ['input', 'first'] });
      }
      const offset = input.after ? decodeOffset(input.after) + 1 : 0;
      const firstvision = context.providers.firstvision;
      const { matches, firstvisionError } = await lookupCustomers(
        context.database.db,
        [...(await context.visibleOrganizations())],
        {
          name: input.name,
          firstName: input.firstName,
          identifier: input.identifier,
          phone: input.phone,
          postalCode: input.postalCode,
          dateOfBirth: input.dateOfBirth ? input.dateOfBirth.toISOString().slice(0, 10) : null,
          country: input.country,
        },
        {
          firstvision: {
            organizationNumber: context.firstvisionOrganization,
            lookup: (criteria) => context.throttles.FIRSTVISION.limiter.run(() => firstvision.lookup(criteria, context.call())),
          },
        },
      );
      const page = matches.slice(offset, offset + first);
      return {
        edges: page.map((node, i) => ({ node, cursor: Buffer.from(`${CURSOR}${offset + i}`).toString('base64url') })),
        totalCount: matches.length,
        hasNextPage: offset + first < matches.length,
        hasPreviousPage: offset > 0,
        sourceErrors: firstvisionError
          ? [{ source: 'FIRSTVISION' as const, code: firstvisionError.code, message: firstvisionError.summary() }]
          : [],
      };
    },
  }),
);
