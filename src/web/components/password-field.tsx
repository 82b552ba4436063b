import { useState } from 'react';
import { PasswordInput, type PasswordInputProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PASSWORD_MIN } from '#shared/domain.ts';

/**
 * Mantine's PasswordInput marks an error only visually (screen readers also need aria-invalid), and
 * names its eye button in English ("Toggle password visibility"): here it says, in the interface's
 * language, what pressing it will do.
 */
export function PasswordField({ visibilityToggleButtonProps, onVisibilityChange, ...props }: PasswordInputProps) {
  const { t } = useTranslation();
  const [visible, setVisible] = useState(props.defaultVisible ?? false);
  const shown = props.visible ?? visible;
  return (
    <PasswordInput
      aria-invalid={props.error ? true : undefined}
      {...props}
      visible={shown}
      onVisibilityChange={(next) => {
        setVisible(next);
        onVisibilityChange?.(next);
      }}
      visibilityToggleButtonProps={{ 'aria-label': shown ? t('password.hide') : t('password.show'), ...visibilityToggleButtonProps }}
    />
  );
}

/** A password input that states the rule a new password must follow. */
export function NewPasswordField(props: PasswordInputProps) {
  const { t } = useTranslation();
  return <PasswordField autoComplete="new-password" description={t('password.rule', { min: PASSWORD_MIN })} {...props} />;
}
