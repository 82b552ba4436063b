import { PASSWORD_MAX, PASSWORD_MIN } from '#shared/domain.ts';
import { i18n } from '../i18n/index.ts';

/** Form rules with messages in the current interface language. */
export const required = (value: string) => (value.trim() === '' ? i18n.t('validation.required') : null);

export const validEmail = (value: string) => {
  if (value.trim() === '') return i18n.t('validation.required');
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) ? null : i18n.t('validation.email');
};

export const newPassword = (value: string) => {
  if (value.length < PASSWORD_MIN) return i18n.t('validation.passwordMin', { min: PASSWORD_MIN });
  if (value.length > PASSWORD_MAX) return i18n.t('validation.passwordMax', { max: PASSWORD_MAX });
  return null;
};

export const sameAs =
  <Values extends Record<string, unknown>>(field: keyof Values) =>
  (value: string, values: Values) =>
    value === values[field] ? null : i18n.t('validation.passwordsDiffer');

export const normalizeDomain = (value: string) => value.trim().toLowerCase().replace(/^@/, '');

/*
 * Limits are checked, never enforced by cutting or clamping: a text over its limit or a number out
 * of range stays as typed and the field says what is allowed (no `maxLength`, no clamping inputs).
 */

/** At most `limit` characters (counted as the server counts them: without surrounding spaces). */
export const maxLength = (limit: number) => (value: string | null | undefined) => {
  const length = (value ?? '').trim().length;
  return length > limit ? i18n.t('validation.tooLong', { limit, length }) : null;
};

/** A whole number from `min` to `max`; empty passes (pair it with `required` where a value is needed). */
export const wholeNumberIn = (min: number, max: number) => (value: number | string | null | undefined) => {
  if (value === '' || value === null || value === undefined) return null;
  const number = Number(value);
  if (!Number.isInteger(number)) return i18n.t('validation.wholeNumber');
  if (number < min) return i18n.t('validation.tooSmall', { limit: min });
  if (number > max) return i18n.t('validation.tooBig', { limit: max });
  return null;
};

/** The first message of several rules, or null when all pass. */
export const allOf =
  <Value, Values = unknown>(...rules: ((value: Value, values: Values) => string | null)[]) =>
  (value: Value, values: Values) => {
    for (const rule of rules) {
      const message = rule(value, values);
      if (message) return message;
    }
    return null;
  };
