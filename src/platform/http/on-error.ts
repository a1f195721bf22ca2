import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError } from '../errors.ts';
import type { AppEnv } from './app-env.ts';

/** The one place errors become answers: `{ error: { code, message, fields?, details? } }`. */
export function onError(error: Error, c: Context<AppEnv>): Response {
  const appError = toAppError(error);
  if (appError) {
    for (const [name, value] of Object.entries(appError.headers ?? {})) c.header(name, value);
    return c.json(
      {
        error: {
          code: appError.code,
          message: appError.message,
          ...(appError.fields ? { fields: appError.fields } : {}),
          ...(appError.details ? { details: appError.details } : {}),
        },
      },
      appError.status as 400,
    );
  }
  const requestId = c.get('requestId');
  // A database error's message can quote a value ("invalid input syntax for type uuid: …"):
  // for those only the SQLSTATE, constraint and routine are logged; our own errors' messages
  // are written by code and carry no input.
  const database = error as { code?: unknown; constraint?: unknown; routine?: unknown };
  const isDatabaseError = typeof database.code === 'string' && /^[0-9A-Z]{5}$/.test(database.code);
  c.get('deps')?.logger.error(
    {
      requestId,
      errorName: error.name,
      ...(isDatabaseError
        ? { sqlState: database.code, constraint: database.constraint, routine: database.routine }
        : { errorMessage: error.message.slice(0, 300) }),
      stack: error.stack?.split('\n').slice(1, 6).join('\n'),
    },
    'unhandled error',
  );
  return c.json({ error: { code: 'internal', message: 'Internal error', requestId } }, 500);
}

function toAppError(error: Error): AppError | null {
  if (error instanceof AppError) return error;
  if (error instanceof HTTPException) {
    if (error.status === 413) return new AppError('payload_too_large', 'The body is too large');
    if (error.status === 400) return new AppError('invalid_json', 'The request is malformed');
    if (error.status === 415) {
      return new AppError('unsupported_media_type', 'Unsupported content type');
    }
  }
  // URIError from a malformed percent-encoding in the path or query.
  if (error instanceof URIError) return new AppError('validation_failed', 'Malformed URL encoding');
  const pgCode = (error as { code?: unknown }).code;
  if (pgCode === '23505') return new AppError('conflict', 'The record already exists');
  if (pgCode === '22P02' || pgCode === '22007' || pgCode === '22008') {
    return new AppError('validation_failed', 'A value has the wrong format');
  }
  return null;
}
