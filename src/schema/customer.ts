import { builder } from '../builder.js';
import { loadEach } from '../loaders/keyed.js';
import type { CustomerRow } from '../db/schema.js';
import { countCustomers, listCustomers, type CustomerFilter } from '../domain/customer-list.js';
import { withLiveFloliveStatus } from '../domain/flolive-settlement.js';
import { visibleCustomer, visibleCustomers } from '../loaders/visibility.js';
import {
  addressHistoryOf,
  demographicsOf,
  mergedAccountsOf,
  mergedCardsOfCustomer,
  mergedRelationshipsOf,
} from '../loaders/firstvision-stitch.js';
import { AddressHistoryEntryRef } from './address-history.js';
import { canReadPii, maskEmail, pii } from './pii.js';
import { DemographicsRef } from './demographics.js';
import { AppError, ErrorCode } from '../errors.js';
import { decodeGlobalId } from '../global-id.js';
import { CustomerKind, CustomerStatus, Gender, RiskScore } from './enums.js';
import {
  AccountRef,
  AddressRef,
  CardRef,
  CustomerRef,
  IdentityRef,
  OrganizationRef,
  ProviderLinkRef,
  RelationshipRef,
} from './refs.js';

const PersonNameRef = builder.objectRef<CustomerRow>('PersonName').implement({
  description: 'The name of a natural person.',
  fields: (t) => ({
    salutation: t.exposeString('salutation', { nullable: true, description: 'e.g. Mr, Ms, Mx.' }),
    title: t.exposeString('title', { nullable: true, description: 'Academic or professional title, e.g. Dr.' }),
    first: t.string({ resolve: (customer) => customer.firstName ?? '' }),
    middle: t.exposeString('middleName', { nullable: true }),
    last: t.string({ resolve: (customer) => customer.lastName ?? '' }),
    suffix: t.exposeString('suffix', { nullable: true, description: 'e.g. Jr, III.' }),
  }),
});

const PhonesRef = builder.objectRef<CustomerRow>('Phones').implement({
  description: 'Phone numbers in E.164 form; null without the scope pii:read (see Customer.piiMasked).',
  fields: (t) => ({
    mobile: t.field({ type: 'PhoneNumber', nullable: true, resolve: (c, _a, ctx) => pii(ctx, c.phoneMobile, () => null) }),
    landline: t.field({ type: 'PhoneNumber', nullable: true, resolve: (c, _a, ctx) => pii(ctx, c.phoneLandline, () => null) }),
    additional: t.field({ type: 'PhoneNumber', nullable: true, resolve: (c, _a, ctx) => pii(ctx, c.phoneAdditional, () => null) }),
    work: t.field({ type: 'PhoneNumber', nullable: true, resolve: (c, _a, ctx) => pii(ctx, c.phoneWork, () => null) }),
  }),
});

const ScreeningRef = builder.objectRef<CustomerRow>('Screening').implement({
  description: 'PEP and sanctions screening outcome, as supplied by the caller.',
  fields: (t) => ({
    pep: t.exposeBoolean('screeningPep', { nullable: true, description: 'Politically exposed person.' }),
    sanctions: t.exposeBoolean('screeningSanctions', { nullable: true, description: 'Appears on a sanctions list.' }),
    riskScore: t.expose('screeningRiskScore', { type: RiskScore, nullable: true }),
  }),
});

builder.node(CustomerRef, {
  description: 'A customer: a natural person (PRIVATE) or a legal entity (BUSINESS).',
  id: { resolve: (customer) => customer.id },
  loadMany: (ids, context) => loadEach(context.loaders.customerById, ids),
  fields: (t) => ({
    customerNumber: t.exposeString('customerNumber', { description: 'Unique, alphanumeric; the natural key shared with providers.' }),
    kind: t.expose('kind', { type: CustomerKind }),
    status: t.expose('status', { type: CustomerStatus }),
    name: t.field({
      type: PersonNameRef,
      nullable: true,
      description: 'The person’s name; null for BUSINESS customers.',
      resolve: (customer) => (customer.kind === 'PRIVATE' ? customer : null),
    }),
    businessName: t.exposeString('businessName', { nullable: true, description: 'Registered name; BUSINESS customers.' }),
    displayName: t.string({
      description: 'The business name, or the person’s first and last name.',
      resolve: (customer) =>
        customer.kind === 'BUSINESS'
          ? (customer.businessName ?? '')
          : [customer.firstName, customer.lastName].filter(Boolean).join(' '),
    }),
    dateOfBirth: t.field({
      type: 'Date',
      nullable: true,
      description: 'Null without the scope pii:read (see piiMasked).',
      resolve: (customer, _args, context) => pii(context, customer.dateOfBirth, () => null),
    }),
    piiMasked: t.boolean({
      description:
        'True when the viewer lacks the scope pii:read: identity numbers and email show their last 4 characters, date of birth and phones are null.',
      resolve: (_customer, _args, context) => !canReadPii(context),
    }),
    gender: t.expose('gender', { type: Gender, nullable: true }),
    locale: t.expose('locale', { type: 'Locale', nullable: true, description: 'language_COUNTRY, e.g. en_US.' }),
    currency: t.expose('currency', { type: 'Currency', nullable: true }),
    email: t.field({
      type: 'EmailAddress',
      nullable: true,
      description: 'Masked to its last 4 characters without the scope pii:read.',
      resolve: (customer, _args, context) => pii(context, customer.email, maskEmail),
    }),
    phones: t.field({ type: PhonesRef, resolve: (customer) => customer }),
    nationalities: t.field({ type: ['CountryCode'], resolve: (customer) => customer.nationalities }),
    screening: t.field({
      type: ScreeningRef,
      nullable: true,
      resolve: (customer) =>
        customer.screeningPep === null && customer.screeningSanctions === null && customer.screeningRiskScore === null
          ? null
          : customer,
    }),
    organization: t.field({
      type: OrganizationRef,
      resolve: async (customer, _args, context) =>
        (await context.loaders.organizationById.load(customer.organizationId))!,
    }),
    parent: t.field({
      type: CustomerRef,
      nullable: true,
      description: 'The customer this one is a sub-customer of.',
      resolve: async (customer, _args, context) =>
        customer.parentId ? visibleCustomer(context, await context.loaders.customerById.load(customer.parentId)) : null,
    }),
    subCustomers: t.field({
      type: [CustomerRef],
      resolve: async (customer, _args, context) => visibleCustomers(context, await context.loaders.subCustomersByParentId.load(customer.id)),
    }),
    identities: t.field({
      type: [IdentityRef],
      resolve: (customer, _args, context) => context.loaders.identitiesByCustomerId.load(customer.id),
    }),
    addresses: t.field({
      type: [AddressRef],
      description: 'Addresses, the primary one first.',
      resolve: (customer, _args, context) => context.loaders.addressesByCustomerId.load(customer.id),
    }),
    accounts: t.field({
      type: [AccountRef],
      nullable: true,
      description:
        'Accounts the customer holds, alone or jointly; for a customer linked to FirstVision, merged with the account numbers FirstVision holds (every page). Null, with an error at this path, when FirstVision cannot be read.',
      resolve: (customer, _args, context) => mergedAccountsOf(context, customer),
    }),
    cards: t.field({
      type: [CardRef],
      nullable: true,
      description:
        'Cards issued to this customer, on any account; for a customer linked to FirstVision, merged with its cards there (last4 and IIN only). Null, with an error, when FirstVision cannot be read.',
      resolve: (customer, _args, context) => mergedCardsOfCustomer(context, customer),
    }),
    relationships: t.field({
      type: [RelationshipRef],
      nullable: true,
      description: 'Relationships the customer belongs to, merged with its FirstVision relationship numbers.',
      resolve: (customer, _args, context) => mergedRelationshipsOf(context, customer),
    }),
    demographics: t.field({
      type: DemographicsRef,
      nullable: true,
      description: 'Demographic data FirstVision holds; null for a customer not linked to FirstVision, or with an error when it cannot be read.',
      resolve: (customer, _args, context) => demographicsOf(context, customer),
    }),
    addressHistory: t.field({
      type: [AddressHistoryEntryRef],
      nullable: true,
      description: 'Current and prior addresses, marked, from the customer’s addresses and FirstVision’s current/prior address inquiry.',
      resolve: (customer, _args, context) => addressHistoryOf(context, customer, context.now().toISOString().slice(0, 10)),
    }),
    providerLinks: t.field({
      type: [ProviderLinkRef],
      description:
        'One entry per provider the customer was routed to. floLIVE links still IN_PROGRESS are checked with floLIVE on read, and a final answer is recorded.',
      resolve: async (customer, _args, context) =>
        withLiveFloliveStatus(await context.loaders.providerLinksByCustomerId.load(customer.id), {
          database: context.database,
          linkUpdates: context.linkUpdates,
          now: context.now,
          requestStatus: (requestId) => context.reads.floliveRequestStatus.load(requestId),
        }),
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (customer) => customer.createdAt }),
    updatedAt: t.field({ type: 'DateTime', resolve: (customer) => customer.updatedAt }),
  }),
});

const DateTimeRangeInput = builder.inputType('DateTimeRangeInput', {
  description: 'A half-open range of instants: from (inclusive) to (exclusive); either end may be open.',
  fields: (t) => ({
    from: t.field({ type: 'DateTime', required: false }),
    to: t.field({ type: 'DateTime', required: false }),
  }),
});

const CustomerFilterInput = builder.inputType('CustomerFilter', {
  description: 'All given criteria must match (AND); a list criterion matches any of its values (OR).',
  fields: (t) => ({
    status: t.field({ type: [CustomerStatus], required: false }),
    kind: t.field({ type: [CustomerKind], required: false }),
    organizationId: t.id({ required: false, description: 'Only customers of this organization.' }),
    createdAt: t.field({ type: DateTimeRangeInput, required: false }),
    search: t.string({
      required: false,
      description: 'Case-insensitive substring of the name, business name, email or customer number (1–100 characters).',
    }),
  }),
});

const CustomerConnection = builder.connectionObject(
  {
    type: CustomerRef,
    name: 'CustomerConnection',
    fields: (t) => ({
      totalCount: t.int({
        description: 'Customers matching the filter, across all pages.',
        resolve: (connection, _args, context) =>
          countCustomers(context.database.db, (connection as unknown as { filter: CustomerFilter }).filter),
      }),
    }),
  },
  { name: 'CustomerEdge' },
);

builder.queryFields((t) => ({
  customer: t.field({
    type: CustomerRef,
    nullable: true,
    description: 'One customer by global ID or by customer number (give exactly one); null when not found.',
    args: { id: t.arg.id(), customerNumber: t.arg.string() },
    resolve: async (_root, args, context) => {
      if ((args.id == null) === (args.customerNumber == null)) {
        throw new AppError(ErrorCode.BAD_USER_INPUT, 'give exactly one of id or customerNumber', {
          argument: args.id == null ? ['id'] : ['customerNumber'],
        });
      }
      if (args.customerNumber != null) return visibleCustomer(context, await context.loaders.customerByNumber.load(args.customerNumber));
      const decoded = decodeGlobalId(args.id!, ['id']);
      return decoded.typename === CustomerRef.name ? visibleCustomer(context, await context.loaders.customerById.load(decoded.id)) : null;
    },
  }),
  customers: t.field({
    type: CustomerConnection,
    description: 'Customers in creation order, by cursor: at most 100 a page (default 20).',
    args: {
      first: t.arg.int({ description: 'Page size, 0 to 100; default 20.' }),
      after: t.arg.string({ description: 'The endCursor of the previous page.' }),
      filter: t.arg({ type: CustomerFilterInput }),
    },
    resolve: async (_root, args, context) => {
      const filter: CustomerFilter = {
        statuses: args.filter?.status,
        kinds: args.filter?.kind,
        organizationId: args.filter?.organizationId ? organizationIdOf(args.filter.organizationId) : null,
        createdFrom: args.filter?.createdAt?.from,
        createdTo: args.filter?.createdAt?.to,
        search: args.filter?.search,
        visibleOrganizations: [...(await context.visibleOrganizations())],
      };
      const page = await listCustomers(context.database, { first: args.first, after: args.after, filter });
      for (const row of page.rows) context.loaders.customerById.prime(row.id, row);
      const edges = page.rows.map((node) => ({ node, cursor: page.cursorOf(node) }));
      return {
        filter,
        edges,
        pageInfo: {
          hasNextPage: page.hasNextPage,
          hasPreviousPage: page.hasPreviousPage,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    },
  }),
}));

function organizationIdOf(globalId: string): string {
  const argument = ['filter', 'organizationId'];
  const decoded = decodeGlobalId(globalId, argument);
  if (decoded.typename !== OrganizationRef.name) {
    throw new AppError(ErrorCode.INVALID_ID, `expected an Organization ID, got a ${decoded.typename} ID`, { argument });
  }
  return decoded.id;
}
