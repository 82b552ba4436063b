import { Alert, Button, Stack, Text } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { AuthCard } from '../../components/auth-card.tsx';
import { useMe } from '../session/session.ts';
import { ResendVerificationForm } from './resend-verification.tsx';

type LinkProblem = 'TOKEN_EXPIRED' | 'LINK_USED' | 'INVALID_TOKEN';
const problemOf = (error: string | null): LinkProblem | null =>
  error === null ? null : error === 'TOKEN_EXPIRED' || error === 'LINK_USED' ? error : 'INVALID_TOKEN';

/** Where the API sends the browser after checking a verification link. */
export function VerifyEmailDonePage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const { data: me } = useMe();
  const problem = problemOf(params.get('error'));

  if (!problem) {
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

  const text = {
    TOKEN_EXPIRED: t('verify.expiredText'),
    LINK_USED: t('verify.usedText'),
    INVALID_TOKEN: t('verify.invalidText'),
  }[problem];
  const title = {
    TOKEN_EXPIRED: t('verify.expiredTitle'),
    LINK_USED: t('verify.usedTitle'),
    INVALID_TOKEN: t('verify.invalidTitle'),
  }[problem];

  return (
    <AuthCard testId="page-verify-failed" title={title}>
      <Alert color={problem === 'LINK_USED' ? 'blue' : 'yellow'} variant="light" role="alert" data-testid={`verify-error-${problem.toLowerCase()}`}>
        {text}
      </Alert>
      {problem === 'LINK_USED' && (
        <Button component={Link} to="/login" variant="light">
          {t('common.toLogin')}
        </Button>
      )}
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
