import type { UseFormReturnType } from '@mantine/form';
import i18n from 'i18next';
import { ApiError } from './api.ts';

const translate = (key: string, values?: Record<string, unknown>) => (i18n.t as unknown as (k: string, v?: Record<string, unknown>) => string)(key, values);

/** What a translated error message may name: the limit the server gave (`{{limit, number}}`). */
export const errorValues = (error: ApiError) => (error.limit === undefined ? undefined : { limit: error.limit });

/** The message to show for an error: the translation of its code when there is one, else the server's message. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const key = `errors.${error.code}`;
    if (i18n.exists(key)) return translate(key, errorValues(error));
    if (error.message) return error.message;
  }
  return translate('errors.generic');
}

/**
 * Shows an API error next to the form field it names (`domains.2` goes to `domains`).
 * Returns the message to show above the form when no field of this form is named, else null.
 */
// biome-ignore lint/suspicious/noExplicitAny: any form, whatever its values' transform.
export function applyApiError<Values>(form: UseFormReturnType<Values, any>, error: unknown): string | null {
  if (error instanceof ApiError && error.field) {
    const values = form.getValues() as Record<string, unknown>;
    const top = error.field.split('.')[0] ?? error.field;
    for (const field of [error.field, top]) {
      if (field in values) {
        (form.setFieldError as (path: string, message: string) => void)(field, errorMessage(error));
        return null;
      }
    }
    // A validation error on a field this form does not show: the server's message names it.
    if (error.code.startsWith('validation.')) return error.message;
  }
  return errorMessage(error);
}

export const isApiError = (error: unknown, code?: string): error is ApiError => error instanceof ApiError && (code === undefined || error.code === code);
