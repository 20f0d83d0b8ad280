/**
 * Ably ErrorInfo (wire shape `{message, code, statusCode, href?}`, ably-js `types/errorinfo.ts`:
 * message must be a string and code/statusCode numbers, or ably-js drops the whole frame).
 * Codes and HTTP statuses: ably-common `protocol/errors.json` + `errors/codes/*.md`.
 */
export interface ErrorInfo {
  message: string;
  code: number;
  statusCode: number;
  href?: string;
}

/** An error carrying an Ably ErrorInfo; thrown by handlers, turned into ERROR/NACK/HTTP replies. */
export class AblyError extends Error {
  constructor(
    readonly code: number,
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'AblyError';
  }
  toInfo(): ErrorInfo {
    return errorInfo(this.code, this.statusCode, this.message);
  }
}

export function errorInfo(code: number, statusCode: number, message: string): ErrorInfo {
  return { message, code, statusCode, href: `https://help.ably.io/error/${code}` };
}

/** Named constructors, one per code the server emits. */
export const Errors = {
  badRequest: (m: string) => new AblyError(40000, 400, m),
  invalidBody: (m: string) => new AblyError(40001, 400, m),
  invalidParam: (m: string) => new AblyError(40003, 400, m),
  invalidCredential: (m: string) => new AblyError(40005, 400, m),
  invalidConnectionId: (m: string) => new AblyError(40006, 400, m),
  messageTooLarge: (m: string) => new AblyError(40009, 413, m),
  invalidChannelName: (m: string) => new AblyError(40010, 400, m),
  invalidClientId: (m: string) => new AblyError(40012, 400, m),
  invalidMessageData: (m: string) => new AblyError(40013, 400, m),
  unauthorized: (m: string) => new AblyError(40101, 401, m),
  incompatibleCredentials: (m: string) => new AblyError(40102, 401, m),
  timestampNotCurrent: (m: string) => new AblyError(40104, 401, m),
  nonceReplayed: (m: string) => new AblyError(40105, 401, m),
  noAuth: (m: string) => new AblyError(40106, 401, m),
  tokenInvalid: (m: string) => new AblyError(40140, 401, m),
  tokenExpired: (m: string) => new AblyError(40142, 401, m),
  /** ably-common errors/codes/40114.md: HTTP 403, "account restricted (channel limits exceeded)". */
  channelLimit: (m: string) => new AblyError(40114, 403, m),
  capabilityDenied: (m: string) => new AblyError(40160, 401, m),
  forbidden: (m: string) => new AblyError(40300, 403, m),
  notFound: (m: string) => new AblyError(40400, 404, m),
  methodNotAllowed: (m: string) => new AblyError(40500, 405, m),
  tooManyConnections: (m: string) => new AblyError(42910, 429, m),
  internal: (m: string) => new AblyError(50000, 500, m),
  recoveryExpired: (m: string) => new AblyError(80008, 400, m),
  connectionClosed: (m: string) => new AblyError(80017, 400, m),
  invalidConnectionKey: (m: string) => new AblyError(80018, 400, m),
  slowConsumer: (m: string) => new AblyError(80020, 400, m),
  continuityLost: (m: string) => new AblyError(80016, 410, m),
  /** ably-common errors.json 90010: "maximum number of channels per connection/request exceeded". */
  tooManyChannels: (m: string) => new AblyError(90010, 400, m),
} as const;

export function toAblyError(e: unknown): AblyError {
  if (e instanceof AblyError) return e;
  return Errors.internal(e instanceof Error ? e.message : String(e));
}
