/**
 * Form validation from the shared schemas (src/shared): the form checks its payload against the very
 * schema the server validates it with, through Mantine's Standard Schema resolver (`schemaResolver`),
 * and says what is wrong in the interface language, with the messages of validation.ts.
 *
 * Only the staff's pages use it: it runs the shared zod schemas, and zod is not part of the first
 * pages (the log-in page, a customer's home; tests/first-load.test.ts). Import zod here as types only.
 */
import { type FormErrors, schemaResolver } from '@mantine/form';
import type { z } from 'zod';
import { i18n } from '../i18n/index.ts';

type Issue = z.core.$ZodIssue;
/** A message for the issues of one field: an i18n key, or a function of the issue (null: the usual message). */
export type FieldMessage = string | ((issue: Issue) => string | null);

const t = (key: string, values?: Record<string, unknown>) => (i18n.t as unknown as (k: string, v?: Record<string, unknown>) => string)(key, values);
const isEmpty = (input: unknown) => input === undefined || input === null || (typeof input === 'string' && input.trim() === '');
const limit = (value: number | bigint) => Number(value);

/** The message validation.ts would give for this fault (`required`, `tooLong`, `wholeNumber`…). */
export function issueMessage(issue: Issue): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return isEmpty(issue.input) ? t('validation.required') : t('errors.validation.too_short', { limit: limit(issue.minimum) });
      if (issue.origin === 'array' || issue.origin === 'set')
        return limit(issue.minimum) <= 1 ? t('validation.required') : t('errors.validation.too_few', { limit: limit(issue.minimum) });
      // A strict minimum on whole numbers (`.positive()` on an int) is the next number up.
      if (issue.inclusive === false && issue.origin === 'int') return t('validation.tooSmall', { limit: limit(issue.minimum) + 1 });
      return issue.inclusive === false ? t('errors.validation.invalid') : t('validation.tooSmall', { limit: limit(issue.minimum) });
    case 'too_big':
      if (issue.origin === 'string') return t('validation.tooLong', { limit: limit(issue.maximum), length: String(issue.input ?? '').length });
      if (issue.origin === 'array' || issue.origin === 'set') return t('errors.validation.too_many', { limit: limit(issue.maximum) });
      if (issue.inclusive === false && issue.origin === 'int') return t('validation.tooBig', { limit: limit(issue.maximum) - 1 });
      return issue.inclusive === false ? t('errors.validation.invalid') : t('validation.tooBig', { limit: limit(issue.maximum) });
    case 'invalid_type':
      if (isEmpty(issue.input)) return t('validation.required');
      if (issue.expected === 'int' || (issue.expected === 'number' && typeof issue.input === 'number')) return t('validation.wholeNumber');
      return t('errors.validation.invalid');
    case 'invalid_format':
      if (issue.format === 'email') return isEmpty(issue.input) ? t('validation.required') : t('validation.email');
      return isEmpty(issue.input) ? t('validation.required') : t('errors.validation.invalid');
    case 'invalid_value':
      return isEmpty(issue.input) ? t('validation.required') : t('errors.validation.invalid');
    default:
      return t('errors.validation.invalid');
  }
}

const pathOf = (issue: Issue) => issue.path.map((segment) => String(segment)).join('.');

export type SchemaRulesOptions<Values> = {
  /** The payload the form sends, from its values (same field names): what the schema checks. Defaults to the values. */
  payload?: (values: Values) => unknown;
  /** The form field that shows a fault found at this path of the payload (`domains.2` on `domains`). Defaults to the path. */
  field?: (path: string) => string;
  /** Messages of this form's own, by field (`slug`, `names.fr`), in place of the usual one. */
  messages?: Record<string, FieldMessage>;
};

/**
 * The `validate` of a useForm: the errors the shared `schema` finds in the form's payload, translated,
 * on the fields they name (a schema's own English messages are never shown). Synchronous, as the
 * hand-written rules were: the form validates on submit, on blur, field by field (`validateField`).
 */
export function schemaRules<Values>(schema: z.ZodType, options: SchemaRulesOptions<Values> = {}): (values: Values) => FormErrors {
  const { payload = (values: Values) => values, field = (path: string) => path, messages = {} } = options;
  const translated = {
    '~standard': {
      version: 1 as const,
      vendor: 'guichet',
      validate: (values: unknown) => {
        const result = schema.safeParse(payload(values as Values), { reportInput: true });
        if (result.success) return { value: result.data };
        return {
          issues: result.error.issues.map((issue) => {
            const name = field(pathOf(issue));
            const own = messages[name];
            const message = typeof own === 'function' ? own(issue) : own === undefined ? null : t(own);
            return { message: message ?? issueMessage(issue), path: [name] };
          }),
        };
      },
    },
  };
  return schemaResolver(translated, { sync: true });
}
