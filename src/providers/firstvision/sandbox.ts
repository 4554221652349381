import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { FaultInjector, jsonResponse, readBody, SandboxStore } from '../sandbox-kit.js';
import type { Sandbox, SandboxDependencies } from '../types.js';
import { messageSignature, type FirstvisionSettings } from './client.js';
import {
  addCustomerRequestReceived,
  updateCustomerRequestReceived,
  type AddCustomerResponse,
  type FirstvisionErrorEntry,
  type UpdateCustomerResponse,
} from './contract.js';

/**
 * A FirstVision simulator: the token endpoint, customer add and update, with the same contract,
 * token, header and signature checks as the real API and its `{hasError, errors, data}` envelope.
 *
 * State is keyed the way VisionPLUS keys it — organization number + customer number — so the read
 * side (account numbers, demographics, lookup, current/prior address) can be added as further
 * routes over the same collections:
 * - `customers`  `<org>:<customerNumber>` → the customer record (key data, miscellaneous, owner, co-owner)
 * - `accounts`   `<org>:<accountNumber>`  → the account and its customer number
 * - `tokens`     access token → who it was issued to and when it expires (not shown in `state()`)
 */

const PROVIDER = 'FIRSTVISION' as const;
const TOKEN_LIFETIME_SECONDS = 900;
/** The Timestamp header may differ from the server clock by at most this much (api-request.md). */
const TIMESTAMP_WINDOW_MS = 5 * 60_000;

export interface CustomerRecord {
  organizationNumber: number;
  customerNumber: string;
  accountNumber: string;
  customerKeyData: Record<string, unknown>;
  customerMiscellaneousData: Record<string, unknown>;
  ownerData: Record<string, unknown>;
  coOwnerData: Record<string, unknown>;
  /** Update's numeric status (0, 1, 2) once an update has set it. */
  customerStatus?: number;
}

interface TokenRecord {
  apiKey: string;
  issuedAt: number;
  expiresAt: number;
}

type Handler = (request: Request, raw: string, json: unknown) => Response | Promise<Response>;

interface Route {
  method: string;
  /** The provider path, trailing slash ignored. */
  path: string;
  /** Whether the call needs the bearer token, client id and signature headers. */
  signed: boolean;
  handler: Handler;
}

/** An answer in FirstVision's error envelope. */
export function errorResponse(status: number, errors: FirstvisionErrorEntry[], headers: Record<string, string> = {}): Response {
  return jsonResponse(status, { hasError: true, errors, data: null }, headers);
}

function okResponse(data: unknown): Response {
  return jsonResponse(200, { hasError: false, errors: [], data });
}

/**
 * UNKNOWN: the gateway's own error codes (auth, routing, malformed bodies) are not published; the
 * simulator uses the HTTP status as the code, e.g. `{code:"401", description:"…"}`.
 */
const gatewayError = (status: number, description: string, headers: Record<string, string> = {}) =>
  errorResponse(status, [{ code: String(status), description }], headers);

/**
 * Builds the FirstVision simulator over its own SQLite file.
 * @example const sandbox = createFirstvisionSandbox({ file: ':memory:', settings });
 */
export function createFirstvisionSandbox(deps: SandboxDependencies<FirstvisionSettings>): Sandbox {
  const store = new SandboxStore(PROVIDER, deps.file);
  const faults = new FaultInjector(deps.faults, deps.sleep);
  const now = () => (deps.now ? deps.now() : new Date()).getTime();
  const routes: Route[] = [
    { method: 'POST', path: '/token', signed: false, handler: (request, raw) => issueToken(request, raw) },
    { method: 'POST', path: '/customer', signed: true, handler: (_request, _raw, json) => addCustomer(json) },
    { method: 'PUT', path: '/customer', signed: true, handler: (_request, _raw, json) => updateCustomer(json) },
  ];

  function issueToken(request: Request, raw: string): Response {
    const { apiKey, clientSecret } = deps.settings;
    const basic = `Basic ${Buffer.from(`${apiKey}:${clientSecret}`).toString('base64')}`;
    if (!sameText(request.headers.get('authorization'), basic) || request.headers.get('apikey') !== apiKey) {
      return gatewayError(401, 'Invalid client credentials');
    }
    if (!request.headers.get('content-type')?.startsWith('application/x-www-form-urlencoded')) {
      return gatewayError(415, 'Content-Type must be application/x-www-form-urlencoded');
    }
    if (new URLSearchParams(raw).get('grant_type') !== 'client_credentials') {
      return gatewayError(400, 'grant_type must be client_credentials');
    }
    const issuedAt = now();
    const token = randomBytes(24).toString('base64url');
    store.put('tokens', token, { apiKey, issuedAt, expiresAt: issuedAt + TOKEN_LIFETIME_SECONDS * 1000 } satisfies TokenRecord, issuedAt);
    return jsonResponse(200, {
      token_type: 'BearerToken',
      issued_at: String(issuedAt),
      client_id: apiKey,
      access_token: token,
      expires_in: String(TOKEN_LIFETIME_SECONDS),
      status: 'approved',
    });
  }

  /** The checks every API call passes before its body is looked at; null when they pass. */
  function refuseCall(request: Request, raw: string): Response | null {
    const { apiKey, clientId, clientSecret } = deps.settings;
    if (request.headers.get('apikey') !== apiKey) return gatewayError(401, 'Invalid apikey');
    const bearer = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
    const token = bearer === undefined ? undefined : store.get<TokenRecord>('tokens', bearer);
    if (!token || token.apiKey !== apiKey) return gatewayError(401, 'Invalid access token');
    if (token.expiresAt <= now()) return gatewayError(401, 'Access token expired');
    if (request.headers.get('x-clientid') !== clientId) return gatewayError(401, 'Unknown X-ClientID');
    const requestId = request.headers.get('x-client-request-id') ?? '';
    if (requestId.length < 1 || requestId.length > 40) return gatewayError(401, 'X-Client-Request-Id must be 1 to 40 characters');
    const timestamp = request.headers.get('timestamp') ?? '';
    if (!/^\d+$/.test(timestamp) || Math.abs(now() - Number(timestamp)) > TIMESTAMP_WINDOW_MS) {
      return gatewayError(401, 'Timestamp is missing or outside the 5-minute window');
    }
    const expected = messageSignature(clientSecret, { apiKey, requestId, timestamp, body: raw });
    if (!sameText(request.headers.get('signature'), expected)) return gatewayError(401, 'Signature does not match the request');
    if (!request.headers.get('content-type')?.startsWith('application/json')) {
      return gatewayError(415, 'Content-Type must be application/json');
    }
    return null;
  }

  function addCustomer(json: unknown): Response {
    const parsed = addCustomerRequestReceived.safeParse(json);
    if (!parsed.success) return contractRefusal(parsed.error, ADD_CODES, 'VPL5SNA03S');
    const { customerKeyData, customerMiscellaneousData, ownerCoOwnerData } = parsed.data.customerData;
    const { organizationNumber, customerNumber, accountNumber } = customerKeyData;
    const owner = ownerCoOwnerData.ownerData;
    if (typeof owner.dateOfBirth === 'string' && owner.dateOfBirth !== '' && Date.parse(`${owner.dateOfBirth}T00:00:00Z`) > now()) {
      return hostError('VPL5SNA38S', 'DATE-OF-BIRTH CANNOT BE A FUTURE DATE');
    }
    const key = `${organizationNumber}:${customerNumber}`;
    if (store.get('customers', key)) return hostError('VPL5SNA12S', 'LOCAL CUSTOMER NUMBER ALREADY EXISTS');
    const account = store.get<{ customerNumber: string }>('accounts', `${organizationNumber}:${accountNumber}`);
    if (account && account.customerNumber !== customerNumber) {
      return hostError('VPL5SNA08S', 'CONFLICTING ORG, ACCOUNT, AND CUSTOMER DATA PASSED TO THE SERVICE');
    }
    const record: CustomerRecord = {
      organizationNumber,
      customerNumber,
      accountNumber,
      customerKeyData,
      customerMiscellaneousData: customerMiscellaneousData ?? {},
      ownerData: owner,
      coOwnerData: ownerCoOwnerData.coOwnerData ?? {},
    };
    store.put('customers', key, record, now());
    store.put('accounts', `${organizationNumber}:${accountNumber}`, { organizationNumber, accountNumber, customerNumber }, now());
    const dual = customerKeyData.dualFlag === '1';
    const data: AddCustomerResponse = {
      organizationNumber,
      organizationAssociatedToForeignAccount: dual ? organizationNumber : 0,
      foreignCustomerOrganization: dual ? organizationNumber : 0,
      accountNumber,
      customerNumber,
    };
    return okResponse(data);
  }

  function updateCustomer(json: unknown): Response {
    const parsed = updateCustomerRequestReceived.safeParse(json);
    if (!parsed.success) return contractRefusal(parsed.error, UPDATE_CODES, 'VPL5SNA03S');
    const request = parsed.data;
    if (request.numberType !== '1') {
      // Card numbers (type 0/blank) resolve through cards, which this simulator does not hold yet.
      return hostError('VPL5SGC01S', 'REQUESTED CARD/ACCOUNT NUMBER IS NOT FOUND');
    }
    const key = `${request.organizationNumber}:${request.customerNumber}`;
    const record = store.get<CustomerRecord>('customers', key);
    if (!record) return hostError('VPL5SGC04S', 'CUSTOMER NUMBER NOT FOUND');
    store.put('customers', key, applyUpdate(record, request as Record<string, unknown>), now());
    const data: UpdateCustomerResponse = {
      outputArea: {
        organizationNumber: record.organizationNumber,
        customerNumber: record.customerNumber,
        numberType: '1',
        foreignUseIndicator: request.foreignUseIndicator ?? '0',
        demographicDataIndicator: request.demographicDataIndicator ?? '0',
        userDataIndicator: request.userDataIndicator ?? '0',
        cmsOrganizationNumber: record.organizationNumber,
        accountNumber: record.accountNumber,
      },
    };
    return okResponse(data);
  }

  async function dispatch(request: Request, path: string): Promise<{ route: string; response: Response }> {
    const normalized = path.length > 1 ? path.replace(/\/$/, '') : path;
    const candidates = routes.filter((route) => route.path === normalized);
    if (candidates.length === 0) return { route: `${request.method} (unknown)`, response: gatewayError(404, `No resource at ${path}`) };
    const route = candidates.find((candidate) => candidate.method === request.method);
    if (!route) {
      const allow = candidates.map((candidate) => candidate.method).join(', ');
      return { route: `${request.method} ${normalized} (not allowed)`, response: gatewayError(405, `Use ${allow}`, { allow }) };
    }
    const template = `${route.method} ${route.path === '/token' ? '/token' : `${route.path}/`}`;
    if (await faults.shouldFail()) {
      return { route: template, response: gatewayError(500, 'Backend Error: the host did not answer (injected fault)') };
    }
    const { raw, json } = await readBody(request);
    const refusal = route.signed ? refuseCall(request, raw) : null;
    if (refusal) return { route: template, response: refusal };
    if (route.signed && (json === undefined || typeof json !== 'object' || json === null)) {
      return { route: template, response: gatewayError(400, 'Body must be a JSON object') };
    }
    return { route: template, response: await route.handler(request, raw, json) };
  }

  return {
    name: PROVIDER,
    async handle(request, path) {
      const { route, response } = await dispatch(request, path);
      store.recordRequest(route, response.status, now());
      return response;
    },
    state() {
      const state = store.state();
      const { tokens: _secret, ...records } = state.records;
      return { ...state, records };
    },
    close: () => store.close(),
  };
}

// ---- host codes ---------------------------------------------------------------------------------------

function hostError(code: string, description: string): Response {
  return errorResponse(422, [{ code, description }]);
}

/** customer/add host codes by field (2022 spec's 422 list). */
const ADD_CODES: Readonly<Record<string, string>> = {
  organizationNumber: 'VPL5SNA19S',
  customerNumber: 'VPL5SNA18S',
  accountNumber: 'VPL5SNA09S',
  coOwnerIndicator: 'VPL5SNA04S',
  vipStatus: 'VPL5SNA28S',
  sicCode: 'VPL5SNA29S',
  identificationNumberFlag: 'VPL5SNA30S',
  countryCode: 'VPL5SNA33S',
  postalCode: 'VPL5SNA34S',
  maritalStatus: 'VPL5SNA35S',
  ownOrRentResidenceFlag: 'VPL5SNA36S',
  carrierRoute3and4: 'VPL5SNA37S',
  dateOfBirth: 'VPL5SNA39S',
  dateOfFile: 'VPL5SNA41S',
  numberOfDependents: 'VPL5SNA42S',
  statementMessageIndicator: 'VPL5SNA43S',
  nameTypeIndicator1: 'VPL5SNA46S',
  nameTypeIndicator2: 'VPL5SNA47S',
  nameTypeIndicator3: 'VPL5SNA48S',
  contactIndicator: 'VPL5SNA49S',
  genderCode: 'VPL5SNA57S',
  faxPhoneFlag: 'VPL5SNA58S',
  homePhoneFlag: 'VPL5SNA59S',
  mobilePhoneFlag: 'VPL5SNA60S',
  emailFlag: 'VPL5SNA61S',
  employerPhoneFlag: 'VPL5SNA32S',
  smsFlag: 'VPL5SNA62S',
};

/** customer update host codes by field (1.2.0 spec's 422 list). */
const UPDATE_CODES: Readonly<Record<string, string>> = {
  organizationNumber: 'VPL5SGC01E',
  customerNumber: 'VPL5SGC02E',
  foreignUseIndicator: 'VPL5SGC03E',
  numberType: 'VPL5SGC04E',
  demographicDataIndicator: 'VPL5SGC06E',
  userDataIndicator: 'VPL5SGC07E',
  status: 'VPL5SGC09E',
  vipStatus: 'VPL5SGC10E',
  sicCode: 'VPL5SGC11E',
  maritalStatus: 'VPL5SGC12E',
  nameTypeIndicator1: 'VPL5SGC13E',
  nameTypeIndicator2: 'VPL5SGC14E',
  nameTypeIndicator3: 'VPL5SGC15E',
  postalCode: 'VPL5SGC16E',
  ownOrRentResidenceFlag: 'VPL5SGC17E',
  contactIndicator: 'VPL5SGC18E',
  carrierRoute3and4: 'VPL5SGC19E',
  statementMessageIndicator: 'VPL5SGC22E',
  dateOfBirth: 'VPL5SGC23E',
  taxIdType: 'VPL5SGC24E',
  taxIdNumber: 'VPL5SGC25E',
  numberOfDependents: 'VPL5SGC29E',
  countryCode: 'VPL5SGC35E',
  homePhoneIndicator: 'VPL5SGC36E',
  faxPhoneIndicator: 'VPL5SGC37E',
  mobilePhoneIndicator: 'VPL5SGC38E',
  emailIndicator: 'VPL5SGC39E',
  genderCode: 'VPL5SGC40E',
  smsIndicator: 'VPL5SGC41E',
};

/**
 * A contract violation as the host reports it: 422, one error per problem, the rule's own code when
 * the contract names one, else the field's code.
 * UNKNOWN: lengths and shapes have no field-specific host code; `fallback` (VPL5SNA03S, "service input
 * area is not of correct size") stands for them.
 */
function contractRefusal(error: z.ZodError, codes: Readonly<Record<string, string>>, fallback: string): Response {
  return errorResponse(
    422,
    error.issues.map((issue) => {
      const field = [...issue.path].reverse().find((part): part is string => typeof part === 'string');
      const ruleCode = issue.code === 'custom' ? (issue.params as { providerCode?: unknown } | undefined)?.providerCode : undefined;
      return {
        code: typeof ruleCode === 'string' ? ruleCode : ((field && codes[field]) ?? fallback),
        description: `${issue.path.map(String).join('.') || 'body'}: ${issue.message}`,
      };
    }),
  );
}

// ---- update semantics -----------------------------------------------------------------------------------

/** Update field → owner field where the names differ (the rest share names). */
const OWNER_FIELD_OF_UPDATE: Readonly<Record<string, string>> = {
  homePhoneIndicator: 'homePhoneFlag',
  faxPhoneIndicator: 'faxPhoneFlag',
  mobilePhoneIndicator: 'mobilePhoneFlag',
  emailIndicator: 'emailFlag',
  smsIndicator: 'smsFlag',
  faxPhoneNumber: 'homeFaxPhoneNumber',
  taxIdNumber: 'identificationNumber',
  taxIdType: 'identificationNumberFlag',
  userDemographic1: 'demographic1',
  userDemographic2: 'demographic2',
  userDemographic3: 'demographic3',
};
const KEY_FIELDS = new Set(['organizationNumber', 'customerNumber', 'numberType', 'foreignUseIndicator', 'demographicDataIndicator', 'userDataIndicator']);
const MISCELLANEOUS_FIELDS = new Set(['vipStatus', 'sicCode']);

/**
 * Applies an update to the owner (demographicDataIndicator 1) or co-owner (2); a field sent as ""
 * clears it. Miscellaneous data and status always apply.
 */
function applyUpdate(record: CustomerRecord, request: Record<string, unknown>): CustomerRecord {
  const target = request.demographicDataIndicator === '2' ? 'coOwnerData' : 'ownerData';
  const person: Record<string, unknown> = { ...record[target] };
  const miscellaneous: Record<string, unknown> = { ...record.customerMiscellaneousData };
  const updatesPerson = request.demographicDataIndicator === '1' || request.demographicDataIndicator === '2';
  for (const [field, value] of Object.entries(request)) {
    if (KEY_FIELDS.has(field) || field === 'status' || value === undefined) continue;
    if (MISCELLANEOUS_FIELDS.has(field)) miscellaneous[field] = value;
    else if (updatesPerson && (field === 'driverLicense' || field === 'carrierRoute')) Object.assign(person, asRecord(value));
    else if (updatesPerson) person[OWNER_FIELD_OF_UPDATE[field] ?? field] = value;
  }
  const next: CustomerRecord = { ...record, customerMiscellaneousData: miscellaneous, [target]: dropBlanks(person) };
  return typeof request.status === 'number' ? { ...next, customerStatus: request.status } : next;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function dropBlanks(person: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(person).filter(([, value]) => value !== ''));
}

/** Constant-time comparison, so a signature or credential cannot be guessed byte by byte. */
function sameText(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
