import { Alert, Card, Center, Loader, Stack, Switch, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EMAIL_CATEGORIES, type EmailCategory } from '#shared/notifications-api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { notificationKeys, preferencesApi, type EmailPreferences } from '../notifications/notifications-api.ts';

/** Agents and administrators see the SLA warnings; customers the Flex balance and the survey. */
const CATEGORIES_FOR: Record<'customer' | 'staff', EmailCategory[]> = {
  customer: EMAIL_CATEGORIES.filter((c) => c !== 'sla-warning'),
  staff: EMAIL_CATEGORIES.filter((c) => c !== 'flex-balance' && c !== 'survey'),
};

/** The profile's choice of non-essential e-mails: each switch saves at once. */
export function EmailPreferencesCard({ role }: { role: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<Partial<Record<EmailCategory, string>>>({});
  const query = useQuery({ queryKey: notificationKeys.preferences, queryFn: ({ signal }) => preferencesApi.get(signal) });
  const save = useMutation({
    mutationFn: (change: Partial<EmailPreferences>) => preferencesApi.update(change),
    onSuccess: (updated, change) => {
      queryClient.setQueryData(notificationKeys.preferences, updated);
      setErrors((e) => ({ ...e, ...Object.fromEntries(Object.keys(change).map((k) => [k, undefined])) }));
      notifications.show({ color: 'green', message: t('notifications.preferences.saved') });
    },
    onError: (error, change) => setErrors((e) => ({ ...e, ...Object.fromEntries(Object.keys(change).map((k) => [k, errorMessage(error)])) })),
  });
  const categories = CATEGORIES_FOR[role === 'customer' ? 'customer' : 'staff'];

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="profile-email-title" data-testid="email-preferences">
      <Stack gap="md">
        <div>
          <Title order={2} fz="lg" id="profile-email-title">
            {t('notifications.preferences.title')}
          </Title>
          <Text fz="sm" c="dimmed">
            {t('notifications.preferences.text')}
          </Text>
        </div>
        {query.isPending ? (
          <Center py="md">
            <Loader size="sm" aria-label={t('common.loading')} />
          </Center>
        ) : query.isError ? (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(query.error)}
          </Alert>
        ) : (
          <Stack gap="sm">
            {categories.map((category) => (
              <Switch
                key={category}
                checked={query.data[category]}
                disabled={save.isPending && save.variables?.[category] !== undefined}
                onChange={(event) => save.mutate({ [category]: event.currentTarget.checked })}
                label={t(`notifications.preferences.categories.${category}.label`)}
                description={t(`notifications.preferences.categories.${category}.description`)}
                error={errors[category]}
                data-testid={`email-pref-${category}`}
              />
            ))}
            <Text fz="xs" c="dimmed">
              {t('notifications.preferences.essential')}
            </Text>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
