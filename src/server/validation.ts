type Issue = {
  code: string;
  path: readonly (string | number | symbol)[];
  keys?: readonly string[] | undefined;
  message: string;
  origin?: unknown;
  maximum?: unknown;
  minimum?: unknown;
  inclusive?: unknown;
};

export type ValidationErrorBody = { code: string; message: string; field: string | undefined; limit?: number };

/** The codes of a value over or under a limit, by what kind of value it is; the body carries the limit. */
const LIMIT_CODES = {
  string: { too_big: 'validation.too_long', too_small: 'validation.too_short' },
  number: { too_big: 'validation.too_big', too_small: 'validation.too_small' },
  array: { too_big: 'validation.too_many', too_small: 'validation.too_few' },
} as const;

const UNITS = { string: ' characters', number: '', array: ' items' } as const;

/** zod's own wording starts so; a schema that says more (`.max(1440, { error: '…' })`) is kept as written. */
const zodDefault = (message: string) => /^(Too big|Too small)\b/.test(message);

/** Every validation code the server answers with. */
export const VALIDATION_CODES = [
  'validation.invalid',
  'validation.unknown_field',
  'validation.required',
  ...Object.values(LIMIT_CODES).flatMap((codes) => Object.values(codes)),
] as const;

/**
 * Turns one validation issue into Guichet's error body, naming the field at fault. A value over or
 * under a limit says the limit, in the message and as `limit` (so the web app words it in the
 * user's language): nothing is ever cut or clamped to fit.
 */
export function validationErrorBody(issue: Issue): ValidationErrorBody {
  const parts = issue.path.map(String);
  if (issue.code === 'unrecognized_keys' && issue.keys?.[0]) parts.push(issue.keys[0]);
  const field = parts.join('.') || undefined;
  const name = field ?? 'request';
  const origin = issue.origin as keyof typeof LIMIT_CODES;
  if ((issue.code === 'too_big' || issue.code === 'too_small') && origin in LIMIT_CODES && issue.inclusive !== false) {
    const limit = Number(issue.code === 'too_big' ? issue.maximum : issue.minimum);
    if (Number.isFinite(limit)) {
      if (issue.code === 'too_small' && origin === 'string' && limit <= 1) {
        return { code: 'validation.required', message: `${name}: required`, field };
      }
      const wording = zodDefault(issue.message)
        ? `${issue.code === 'too_big' ? 'at most' : 'at least'} ${limit.toLocaleString('en')}${UNITS[origin]}`
        : issue.message;
      return { code: LIMIT_CODES[origin][issue.code], message: `${name}: ${wording}`, field, limit };
    }
  }
  return {
    code: issue.code === 'unrecognized_keys' ? 'validation.unknown_field' : 'validation.invalid',
    message: `${name}: ${issue.message}`,
    field,
  };
}
