// The envelope every command returns across IPC/WebSocket: thrown errors lose everything but the message.
export const ERROR_CODES = [
  'invalid-request',
  'unknown-command',
  'config-missing',
  'config-invalid',
  'credentials-missing',
  'credentials-invalid',
  'access-denied',
  'bucket-missing',
  'endpoint-unreachable',
  'conditional-writes-ignored',
  'not-found',
  'conflict',
  'checksum-mismatch',
  'unsafe-key',
  'malformed-input',
  'no-batches-left',
  'claim-lost',
  'prodigy-not-found',
  'prodigy-failed',
  'port-in-use',
  'disk-full',
  'store-corrupt',
  'store-too-new',
  'offline',
  'cancelled',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type FerryErrorShape = { readonly code: ErrorCode; readonly message: string; readonly detail?: string };

export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err = { readonly ok: false; readonly error: FerryErrorShape };
export type Result<T> = Ok<T> | Err;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function err(code: ErrorCode, message: string, detail?: string): Err {
  return { ok: false, error: detail === undefined ? { code, message } : { code, message, detail } };
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}

// Thrown inside the core; the hosts turn it into an Err envelope. `detail` is for the log, `message` for a person.
export class FerryError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  constructor(code: ErrorCode, message: string, detail?: string) {
    super(message);
    this.name = 'FerryError';
    this.code = code;
    this.detail = detail;
  }
  toShape(): FerryErrorShape {
    return this.detail === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, detail: this.detail };
  }
}
