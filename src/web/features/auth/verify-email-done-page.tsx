import { Alert, Button, Stack, Text } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { AuthCard } from '../../components/auth-card.tsx';
import { useMe } from '../session/session.ts';
import { ResendVerificationForm } from './resend-verification.tsx';

/**
 * Where the API sends the browser after checking a verification link. A link that cannot verify
 * anything comes with `error`, whatever the reason (expired, used, incomplete): the API does not
 * say which, so that a link never tells whether an address has an account.
 */
export function VerifyEmailDonePage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const { data: me } = useMe();

  if (params.get('error') === null) {
    return (
      <AuthCard testId="page-verify-done" title={t('verify.doneTitle')}>
        <Alert color="green" variant="light" role="status" data-testid="verify-success">
          {t('verify.doneText')}
        </Alert>
        <Button component={Link} to={me ? '/' : '/login'} data-testid="verify-continue">
          {me ? t('common.continue') : t('common.toLogin')}
        </Button>
      </AuthCard>
    );
  }

  return (
    <AuthCard testId="page-verify-failed" title={t('verify.invalidTitle')}>
      <Alert color="yellow" variant="light" role="alert" data-testid="verify-error">
        {t('verify.invalidText')}
      </Alert>
      <Button component={Link} to="/login" variant="light">
        {t('common.toLogin')}
      </Button>
      <Stack gap="xs">
        <Text fw={600} fz="sm">
          {t('verify.askAgainTitle')}
        </Text>
        <Text fz="sm" c="dimmed">
          {t('verify.askAgainText')}
        </Text>
        <ResendVerificationForm />
      </Stack>
    </AuthCard>
  );
}
