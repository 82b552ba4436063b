import { Alert, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatMinutes } from '#shared/durations.ts';
import { useFlexSummary } from './flex-api.ts';

/** On the Solva Flex create form: the organization's balance, the unbilled time, and what a used-up balance means. */
export function FlexBalanceNotice({ organizationId }: { organizationId: string | null | undefined }) {
  const { t } = useTranslation();
  const summary = useFlexSummary(organizationId);
  if (!summary.data) return null;
  const s = summary.data;
  const exhausted = s.balanceMinutes <= 0;
  return (
    <Alert
      color={exhausted ? (s.zeroBalancePolicy === 'refuse' ? 'red' : 'orange') : s.belowThreshold ? 'orange' : 'blue'}
      variant="light"
      title={t('flex.createForm.balance', { balance: formatMinutes(s.balanceMinutes) })}
      data-testid="create-flex-balance"
      data-balance={s.balanceMinutes}
    >
      {s.unbilledMinutes > 0 && <Text fz="sm">{t('flex.createForm.unbilled', { time: formatMinutes(s.unbilledMinutes) })}</Text>}
      {exhausted && <Text fz="sm">{s.zeroBalancePolicy === 'refuse' ? t('flex.createForm.zeroRefuse') : t('flex.createForm.zeroWarn')}</Text>}
    </Alert>
  );
}
