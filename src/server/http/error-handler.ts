import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/pg-errors.ts';
import { AppError, databaseUnavailable } from '../errors.ts';
import { validationErrorBody } from '../validation.ts';

/** The largest JSON body, in bytes (uploads have their own limit, ATTACHMENT_MAX_MB). */
export const BODY_LIMIT = 1024 * 1024;

/**
 * Every error as the API's one shape, `{ code, message, field, limit }`: our AppErrors as thrown, a
 * schema's refusal as a 400 naming the field, the database away as a 503 with Retry-After, and
 * anything unexpected as a 500 that tells nothing of the inside (it is logged).
 */
export function answerError(thrown: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  // The database restarting or away: a 503 with Retry-After, never a 500.
  const error = isDatabaseUnavailable(thrown) ? (databaseUnavailable() as unknown as FastifyError) : thrown;
  if (error instanceof AppError) {
    if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
    return reply.status(error.status).send({ code: error.code, message: error.message, field: error.field, limit: error.limit });
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const first = error.validation[0]!;
    return reply.status(400).send(
      validationErrorBody({
        ...first.params,
        code: first.keyword,
        path: first.instancePath.split('/').filter(Boolean),
        message: first.message ?? 'invalid',
      }),
    );
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error, issues: error.cause.issues }, 'response did not match its schema');
    return reply.status(500).send({ code: 'internal', message: 'Internal error.' });
  }
  const status = error.statusCode ?? 500;
  if (status >= 500) {
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ code: 'internal', message: 'Internal error.' });
  }
  const code =
    error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError
      ? 'request.malformed_json'
      : error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? 'request.too_large'
        : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'request.unsupported_media_type'
          : status === 429
            ? 'request.rate_limited'
            : 'request.invalid';
  if (code === 'request.too_large') {
    return reply
      .status(413)
      .send({ code, message: `The request is larger than ${BODY_LIMIT.toLocaleString('en')} bytes, the largest accepted.`, limit: BODY_LIMIT });
  }
  return reply.status(status).send({ code, message: error.message });
}
