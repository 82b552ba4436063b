import { Card, Loader, Stack, Switch } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { i18n } from '../../i18n/index.ts';
import { errorMessage } from '../../lib/errors.ts';
import { AdminPageHeader } from '../admin/admin-layout.tsx';
import { securitySettingsKey, twoFactorApi } from './two-factor-api.ts';

/** The installation's security settings: two-factor authentication required of staff. */
export function SecuritySettingsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: securitySettingsKey, queryFn: twoFactorApi.securitySettings });
  const update = useMutation({
    mutationFn: (staffTwoFactorRequired: boolean) => twoFactorApi.updateSecuritySettings({ staffTwoFactorRequired }),
    onSuccess: (saved) => {
      queryClient.setQueryData(securitySettingsKey, saved);
      notifications.show({ color: 'green', message: i18n.t('twoFactor.admin.saved') });
    },
  });
  const checked = update.isPending ? update.variables : (settings.data?.staffTwoFactorRequired ?? false);
  return (
    <Stack gap="lg" data-testid="page-security-settings">
      <AdminPageHeader title={t('twoFactor.admin.title')} description={t('twoFactor.admin.description')} />
      <Card withBorder padding="lg" maw={720}>
        <Stack gap="sm">
          <ErrorAlert message={settings.isError ? errorMessage(settings.error) : update.isError ? errorMessage(update.error) : null} />
          {settings.isPending ? (
            <Loader size="sm" />
          ) : (
            <Switch
              checked={checked}
              disabled={update.isPending || settings.isError}
              onChange={(event) => update.mutate(event.currentTarget.checked)}
              label={t('twoFactor.admin.staffRequired')}
              description={t('twoFactor.admin.staffRequiredHint')}
              data-testid="security-staff-two-factor"
            />
          )}
        </Stack>
      </Card>
    </Stack>
  );
}
