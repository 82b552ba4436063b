import { useState } from 'react';
import { Button, Group, Modal, Stack, TagsInput, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { i18n } from '../../i18n/index.ts';
import { applyApiError } from '../../lib/errors.ts';
import { normalizeDomain, required, validDomains } from '../../lib/validation.ts';
import { adminApi, adminKeys, type Organization } from './admin-api.ts';
import { useSubmission } from '../../lib/submission.ts';

function OrganizationForm({ organization, onDone }: { organization: Organization | null; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const submission = useSubmission();
  const form = useForm({
    initialValues: { name: organization?.name ?? '', domains: organization?.domains ?? [] },
    validate: { name: required, domains: validDomains },
    transformValues: (values) => ({ name: values.name.trim(), domains: [...new Set(values.domains.map(normalizeDomain))] }),
  });

  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        setError(null);
        try {
          const saved = organization
            ? await adminApi.updateOrganization(organization.id, values)
            : await submission(values, (key) => adminApi.createOrganization(values, key));
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
