import type { ReactNode } from 'react';
import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** An error shown above a form or a list; renders nothing without a message. */
export function ErrorAlert({ message, title, children }: { message: ReactNode | null | undefined; title?: ReactNode; children?: ReactNode }) {
  const { t } = useTranslation();
  if (!message) return null;
  return (
    <Alert color="red" variant="light" title={title ?? t('common.errorTitle')} role="alert" data-testid="error-alert">
      {message}
      {children}
    </Alert>
  );
}
