import { PasswordInput, type PasswordInputProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PASSWORD_MIN } from '#shared/domain.ts';

/** Mantine's PasswordInput marks an error only visually; screen readers also need aria-invalid. */
export function PasswordField(props: PasswordInputProps) {
  return <PasswordInput aria-invalid={props.error ? true : undefined} {...props} />;
}

/** A password input that states the rule a new password must follow. */
export function NewPasswordField(props: PasswordInputProps) {
  const { t } = useTranslation();
  return <PasswordField autoComplete="new-password" description={t('password.rule', { min: PASSWORD_MIN })} {...props} />;
}
