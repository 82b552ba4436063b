import { PasswordInput, type PasswordInputProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PASSWORD_MIN } from '#shared/domain.ts';

/** A password input that states the rule a new password must follow. */
export function NewPasswordField(props: PasswordInputProps) {
  const { t } = useTranslation();
  return <PasswordInput autoComplete="new-password" description={t('password.rule', { min: PASSWORD_MIN })} {...props} />;
}
