import { Button, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { AuthCard } from '../../components/auth-card.tsx';
import { ME_KEY, useSignOut } from '../session/session.ts';
import { EnrollFlow } from './enroll-flow.tsx';

/** Where a user who must use two-factor authentication, and has not set it up, is kept until they do. */
export function TwoFactorSetupPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const signOut = useSignOut();
  return (
    <AuthCard testId="page-two-factor-setup" title={t('twoFactor.requiredTitle')} subtitle={t('twoFactor.requiredPageText')}>
      <Stack gap="md">
        <EnrollFlow onDone={() => void queryClient.invalidateQueries({ queryKey: ME_KEY })} />
        <Text fz="sm" ta="center">
          <Button variant="subtle" size="compact-sm" onClick={() => signOut.mutate()}>
            {t('nav.logout')}
          </Button>
        </Text>
      </Stack>
    </AuthCard>
  );
}
