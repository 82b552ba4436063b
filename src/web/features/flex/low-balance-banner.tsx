import { Alert, Anchor } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatMinutes } from '#shared/durations.ts';
import { useFlexSummary } from './flex-api.ts';

/** The portal's warning when the organization's Flex balance is under its threshold (shown on the customer's home). */
export function LowBalanceBanner({ organizationId }: { organizationId: string | null | undefined }) {
  const { t } = useTranslation();
  const summary = useFlexSummary(organizationId);
  if (!summary.data?.belowThreshold) return null;
  const s = summary.data;
  return (
    <Alert color="orange" variant="light" title={t('flex.lowTitle')} data-testid="home-flex-low-balance">
      {t('flex.lowText', { balance: formatMinutes(s.balanceMinutes), threshold: formatMinutes(s.lowBalanceThresholdMinutes) })}{' '}
      <Anchor component={Link} to="/flex" fz="sm">
        {t('flex.nav')}
      </Anchor>
    </Alert>
  );
}
