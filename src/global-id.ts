import { AppError, ErrorCode } from './errors.js';

/**
 * Global IDs are opaque to clients: base64url of `<Typename>:<local id>`. Decoding accepts the
 * standard-alphabet form too, so IDs copied through tools that re-encode still work.
 * @example encodeGlobalId('Customer', 'b7e3…') // "Q3VzdG9tZXI6YjdlM…"
 */
export function encodeGlobalId(typename: string, id: string | number | bigint): string {
  return Buffer.from(`${typename}:${id}`, 'utf8').toString('base64url');
}

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const DECODED = /^([A-Z][A-Za-z0-9]*):(.+)$/s;
/** Longest accepted global ID: well above any real one, small enough to refuse junk cheaply. */
const MAX_GLOBAL_ID_LENGTH = 256;

export interface DecodedGlobalId {
  typename: string;
  id: string;
}

/** Decodes a global ID or throws an INVALID_ID error; it does not check that the object exists. */
export function decodeGlobalId(globalId: string, argument: readonly string[] = ['id']): DecodedGlobalId {
  const invalid = () =>
    new AppError(ErrorCode.INVALID_ID, `"${truncate(globalId)}" is not a valid ID`, { argument });
  if (globalId.length === 0 || globalId.length > MAX_GLOBAL_ID_LENGTH || !BASE64.test(globalId)) throw invalid();
  const match = DECODED.exec(Buffer.from(globalId, 'base64').toString('utf8'));
  if (!match || match[2]!.includes('\uFFFD')) throw invalid();
  return { typename: match[1]!, id: match[2]! };
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
