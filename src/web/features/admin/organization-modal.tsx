import { useState } from 'react';
import { Button, Group, Modal, NumberInput, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { i18n } from '../../i18n/index.ts';
import { applyApiError } from '../../lib/errors.ts';
import { createOrganizationSchema, STORAGE_QUOTA_MAX_MB, updateOrganizationSchema } from '#shared/api.ts';
import { useFileSize } from '../../lib/file-size.ts';
import { normalizeDomain } from '../../lib/validation.ts';
import { schemaRules, type SchemaRulesOptions } from '../../lib/schema-validation.ts';
import { adminApi, adminKeys, type Organization } from './admin-api.ts';
import { useSubmission } from '../../lib/submission.ts';

type OrganizationValues = { name: string; domains: string[]; storageQuotaMb: number | string };
const organizationChanges = (values: OrganizationValues) => ({
  name: values.name.trim(),
  domains: [...new Set(values.domains.map(normalizeDomain))],
  // Empty: the installation's default.
  storageQuotaMb: values.storageQuotaMb === '' ? null : Number(values.storageQuotaMb),
});
/** A new organization gets the installation's default quota. */
const newOrganization = (values: OrganizationValues) => {
  const { name, domains } = organizationChanges(values);
  return { name, domains };
};
/** A wrong domain is shown on the list, naming it. */
const domainFaults: Pick<SchemaRulesOptions<OrganizationValues>, 'field' | 'messages'> = {
  field: (path) => (path.startsWith('domains.') ? 'domains' : path),
  messages: { domains: (issue) => (issue.path.length > 1 ? i18n.t('validation.domain', { domain: String(issue.input ?? '') }) : null) },
};

function OrganizationForm({ organization, onDone }: { organization: Organization | null; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const fileSize = useFileSize();
  const [error, setError] = useState<string | null>(null);
  const submission = useSubmission();
  const form = useForm({
    initialValues: {
      name: organization?.name ?? '',
      domains: organization?.domains ?? [],
      storageQuotaMb: (organization?.storage.quotaMb ?? '') as number | string,
    } satisfies OrganizationValues,
    validate: organization
      ? schemaRules(updateOrganizationSchema, { payload: organizationChanges, ...domainFaults })
      : schemaRules(createOrganizationSchema, { payload: newOrganization, ...domainFaults }),
    transformValues: organizationChanges,
  });

  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        setError(null);
        try {
          const saved = organization
            ? await adminApi.updateOrganization(organization.id, values)
            : await submission({ name: values.name, domains: values.domains }, (key) =>
                adminApi.createOrganization({ name: values.name, domains: values.domains }, key),
              );
          await queryClient.invalidateQueries({ queryKey: adminKeys.organizations });
          notifications.show({
            color: 'green',
            message: organization ? i18n.t('organizations.updated', { name: saved.name }) : i18n.t('organizations.created', { name: saved.name }),
          });
          onDone();
        } catch (e) {
          setError(applyApiError(form, e));
        }
      })}
    >
      <Stack gap="md">
        <ErrorAlert message={error} />
        <TextInput label={t('organizations.name')} required data-autofocus {...form.getInputProps('name')} />
        <TagsInput
          label={t('organizations.domains')}
          description={t('organizations.domainsHint')}
          placeholder={t('organizations.domainsPlaceholder')}
          splitChars={[',', ' ', ';']}
          acceptValueOnBlur
          clearable
          data-testid="organization-domains"
          {...form.getInputProps('domains')}
        />
        {organization && (
          <Stack gap={4}>
            <NumberInput
              label={t('organizations.storageQuota')}
              description={t('organizations.storageQuotaHint', { default: organization.storage.defaultQuotaMb })}
              placeholder={String(organization.storage.defaultQuotaMb)}
              min={1}
              max={STORAGE_QUOTA_MAX_MB}
              clampBehavior="none"
              allowDecimal={false}
              data-testid="organization-storage-quota"
              {...form.getInputProps('storageQuotaMb')}
            />
            <Text fz="sm" c="dimmed" data-testid="organization-storage-used">
              {t('organizations.storageUsed', { used: fileSize(organization.storage.usedBytes) })}
            </Text>
          </Stack>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={form.submitting} data-testid="organization-save">
            {organization ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Creates an organization (organization = null) or edits one. */
export function OrganizationModal({ opened, organization, onClose }: { opened: boolean; organization: Organization | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={organization ? t('organizations.editTitle', { name: organization.name }) : t('organizations.createTitle')}
      size="lg"
    >
      <OrganizationForm key={organization?.id ?? 'new'} organization={organization} onDone={onClose} />
    </Modal>
  );
}
