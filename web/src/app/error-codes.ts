// The server's stable error codes (src/platform/errors.ts). The UI shows its own text for each
// code; the server's `message` is English and meant for logs.
export const ERROR_CODES = [
  'validation_failed',
  'invalid_json',
  'payload_too_large',
  'unsupported_media_type',
  'unauthenticated',
  'invalid_credentials',
  'too_many_attempts',
  'csrf_failed',
  'forbidden',
  'not_found',
  'conflict',
  'setup_done',
  'rule_violated',
  'rate_limited',
  'acknowledgement_required',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

// Codes the browser produces itself, when no answer from the server could be read.
export const CLIENT_ERROR_CODES = ['network_error', 'bad_response'] as const;

export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

export type KnownErrorCode = ErrorCode | ClientErrorCode;

export function isKnownErrorCode(code: string): code is KnownErrorCode {
  return (
    (ERROR_CODES as readonly string[]).includes(code) ||
    (CLIENT_ERROR_CODES as readonly string[]).includes(code)
  );
}
