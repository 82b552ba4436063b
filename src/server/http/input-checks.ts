import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorSchema } from '#shared/api.ts';
import { AppError } from '../errors.ts';

/**
 * Input that no field of Guichet may hold, refused once for every route rather than schema by schema:
 * - a JSON body nested deeper than MAX_BODY_DEPTH, refused from its raw text before it is parsed (a
 *   few thousand `[` would otherwise reach code that walks it recursively);
 * - text holding U+0000 (PostgreSQL stores no NUL, in text or jsonb) or a lone UTF-16 surrogate
 *   (not a character: jsonb refuses its escape, and UTF-8 cannot encode it), in a JSON body, the
 *   query string or a path parameter, keys included.
 * Both are a 400 naming the field, like any other validation error.
 */
export const MAX_BODY_DEPTH = 32;
/**
 * The longest path parameter Fastify's router takes: more than a request line can hold (Node refuses
 * headers over 16 KiB with a 431), so the router never refuses a parameter for its length, and the
 * route's own schema does, naming it and its limit. (Its default, 100, is below the longest tokens the
 * schemas accept; and a parameter the router refused would not be a 400 but fall through to the web
 * app's catch-all route, a 404.)
 */
export const MAX_PARAM_LENGTH = 16_384;

/** U+0000, or a surrogate that is not half of a pair. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is what this finds.
const FORBIDDEN_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const hasForbiddenText = (text: string) => FORBIDDEN_TEXT.test(text);

/** A field's path as the error body names it (`items.0.name`), readable even when a key is the culprit. */
const fieldName = (path: readonly (string | number)[]) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is what this replaces.
  path.map((part) => String(part).replace(/[\u0000\ud800-\udfff]/g, '\ufffd')).join('.') || undefined;

export const invalidCharacter = (path: readonly (string | number)[]) => {
  const field = fieldName(path);
  return new AppError(
    400,
    'validation.invalid_character',
    `${field ?? 'request'}: contains a character that text cannot hold (U+0000 or a lone surrogate)`,
    field,
  );
};

/**
 * The path of the first string (value or key) holding forbidden text in a parsed value, or null.
 * Iterative, so a value's depth costs no stack.
 */
export function findForbiddenText(value: unknown): (string | number)[] | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length) {
    const { value: node, path } = stack.pop()!;
    if (typeof node === 'string') {
      if (hasForbiddenText(node)) return path;
    } else if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push({ value: node[i], path: [...path, i] });
    } else if (node !== null && typeof node === 'object') {
      const entries = Object.entries(node);
      for (const [key] of entries) if (hasForbiddenText(key)) return [...path, key];
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], path: [...path, entries[i]![0]] });
    }
  }
  return null;
}

/**
 * Scans JSON text for nesting deeper than `max` without parsing it; answers the path of the first
 * container too deep (keys as written, array positions counted), or null. Text that is not JSON is
 * left to the parser to refuse.
 */
export function findTooDeep(text: string, max: number): (string | number)[] | null {
  // One entry per open container: an array's current position, or an object's current key.
  const path: (string | number)[] = [];
  const kinds: ('array' | 'object')[] = [];
  let lastString: string | null = null;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      i++;
      while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c /* \ */ ? 2 : 1;
      i++;
      lastString = text.slice(start, i);
      continue;
    }
    if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (kinds.length >= max) return [...path.slice(0, kinds.length)];
      kinds.push(c === 0x5b ? 'array' : 'object');
      path.push(c === 0x5b ? 0 : '');
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      kinds.pop();
      path.pop();
    } else if (c === 0x2c /* , */ && kinds.at(-1) === 'array') {
      path[path.length - 1] = (path.at(-1) as number) + 1;
    } else if (c === 0x3a /* : */ && kinds.at(-1) === 'object' && lastString !== null) {
      let key: string;
      try {
        key = JSON.parse(lastString) as string;
      } catch {
        key = lastString;
      }
      path[path.length - 1] = key;
    }
    i++;
  }
  return null;
}

export const tooDeep = (path: readonly (string | number)[]) => {
  const field = fieldName(path);
  return new AppError(
    400,
    'validation.too_deep',
    `${field ?? 'request'}: nested deeper than ${MAX_BODY_DEPTH} levels, the most accepted`,
    field,
    MAX_BODY_DEPTH,
  );
};

/**
 * The errors Fastify's router raises before a route is found (Fastify's `frameworkErrors`), in
 * Guichet's shape: an address whose percent-encoding is not UTF-8 (a lone surrogate sent as its bytes).
 */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const answer =
    error.code === 'FST_ERR_BAD_URL'
      ? new AppError(400, 'validation.invalid_character', 'The address holds bytes that are not UTF-8 text (a lone surrogate, or a stray %).')
      : new AppError(400, 'request.invalid', error.message);
  return reply.status(answer.status).send({ code: answer.code, message: answer.message, field: answer.field, limit: answer.limit });
}

/** Fastify's JSON parser behind the depth check, then the check of every string of the request. */
export function registerInputChecks(app: FastifyInstance) {
  // Every route may now answer 400 (a query string or parameter it never reads may hold a NUL): say so in its documentation.
  app.addHook('onRoute', (route) => {
    const response = route.schema?.response as Record<string, unknown> | undefined;
    if (response && !('400' in response)) route.schema = { ...route.schema, response: { ...response, 400: errorSchema } };
  });

  // Fastify's own parser (secure-json-parse: a __proto__ or constructor.prototype key is an error).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const deep = findTooDeep(body as string, MAX_BODY_DEPTH);
    if (deep) {
      done(tooDeep(deep), undefined);
      return;
    }
    parseJson(request, body as string, done);
  });

  app.addHook('preValidation', async (request) => {
    for (const part of [request.params, request.query, request.body]) {
      const path = findForbiddenText(part);
      if (path) throw invalidCharacter(path);
    }
  });
}
