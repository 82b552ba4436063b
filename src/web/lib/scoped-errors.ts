import type { UseFormReturnType } from '@mantine/form';
import i18n from 'i18next';
import { ApiError } from './api.ts';
import { errorMessage, errorValues } from './errors.ts';

/**
 * Error messages a feature keeps in its own texts (`catalog.errors.desk.slug_taken`), before the
 * app-wide ones (`errors.…`): a feature's error codes then live with the rest of its texts.
 */
export type ErrorScope = 'catalog' | 'workspace';

const translate = (key: string, values?: Record<string, unknown>) => (i18n.t as unknown as (k: string, v?: Record<string, unknown>) => string)(key, values);

export function scopedErrorMessage(error: unknown, scope: ErrorScope): string {
  if (error instanceof ApiError) {
    const key = `${scope}.errors.${error.code}`;
    if (i18n.exists(key)) return translate(key, errorValues(error));
  }
  return errorMessage(error);
}

const hasPath = (values: unknown, path: string) => {
  let current: unknown = values;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object' || !(part in current)) return false;
    current = (current as Record<string, unknown>)[part];
  }
  return true;
};

/**
 * Like applyApiError, with the feature's messages: shows the error next to the field it names
 * (`names.fr`, or its first part `names`), else returns the message to show above the form.
 */
// biome-ignore lint/suspicious/noExplicitAny: any form, whatever its values' transform.
export function applyScopedApiError<Values>(form: UseFormReturnType<Values, any>, error: unknown, scope: ErrorScope): string | null {
  const message = scopedErrorMessage(error, scope);
  if (error instanceof ApiError && error.field) {
    const values = form.getValues();
    const top = error.field.split('.')[0] ?? error.field;
    for (const field of [error.field, top]) {
      if (hasPath(values, field)) {
        (form.setFieldError as (path: string, message: string) => void)(field, message);
        return null;
      }
    }
    if (error.code.startsWith('validation.')) return error.message;
  }
  return message;
}
