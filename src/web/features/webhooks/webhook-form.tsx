import { useState } from 'react';
import { Button, Checkbox, Group, Select, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { WEBHOOK_EVENTS } from '#shared/webhooks-api.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { applyApiError } from '../../lib/errors.ts';
import { localized, useDesks } from '../admin/catalog-api.ts';
import type { WebhookForm } from './webhooks-api.ts';

/** The fields of a subscription, for a new one or an existing one. */
export function WebhookFields({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial: WebhookForm;
  submitLabel: string;
  onSubmit: (values: WebhookForm) => Promise<void>;
  onCancel?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const desks = useDesks();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<WebhookForm>({
    initialValues: initial,
    validate: {
      url: (value) => (value.trim() ? null : t('validation.required')),
      events: (value) => (value.length ? null : t('validation.required')),
    },
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        setError(null);
        try {
          await onSubmit({ ...values, url: values.url.trim(), description: values.description.trim() });
        } catch (e) {
          setError(applyApiError(form, e));
        }
      })}
    >
      <Stack gap="md">
        <ErrorAlert message={error} />
        <TextInput label={t('webhooks.url')} description={t('webhooks.urlHint')} required type="url" data-testid="webhook-url" {...form.getInputProps('url')} />
        <TextInput label={t('webhooks.descriptionField')} data-testid="webhook-description" {...form.getInputProps('description')} />
        <Checkbox.Group label={t('webhooks.events')} required {...form.getInputProps('events')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" mt="xs">
            {WEBHOOK_EVENTS.map((event) => (
              <Checkbox key={event} value={event} label={event} data-testid={`webhook-event-${event}`} />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
        <Select
          label={t('webhooks.desk')}
          description={t('webhooks.deskHint')}
          placeholder={t('webhooks.allDesks')}
          clearable
          data={(desks.data ?? []).map((d) => ({ value: d.id, label: localized(d.names, i18n.language) }))}
          value={form.values.deskId}
          onChange={(value) => form.setFieldValue('deskId', value)}
          error={form.errors.deskId}
          data-testid="webhook-desk"
        />
        <Switch
          label={t('webhooks.includeInternal')}
          description={t('webhooks.includeInternalHint')}
          data-testid="webhook-include-internal"
          {...form.getInputProps('includeInternal', { type: 'checkbox' })}
        />
        <Switch label={t('webhooks.enabled')} data-testid="webhook-enabled" {...form.getInputProps('enabled', { type: 'checkbox' })} />
        <Group justify="flex-end" gap="sm">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              {t('webhooks.cancel')}
            </Button>
          )}
          <Button type="submit" loading={form.submitting} data-testid="webhook-save">
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
