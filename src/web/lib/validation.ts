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

const DOMAIN = /^(?=.{1,253}$)(?!-)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/;
export const normalizeDomain = (value: string) => value.trim().toLowerCase().replace(/^@/, '');
export const validDomains = (values: string[]) => {
  const wrong = values.find((value) => !DOMAIN.test(normalizeDomain(value)));
  return wrong === undefined ? null : i18n.t('validation.domain', { domain: wrong });
};
