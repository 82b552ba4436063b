import { useState } from 'react';
import {
  Badge,
  Button,
  Code,
  Group,
  Modal,
  Paper,
  Radio,
  SegmentedControl,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { SsoProtocol } from '#shared/sso-api.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { ListTable } from '../../components/list-table.tsx';
import { i18n } from '../../i18n/index.ts';
import { applyApiError, errorMessage } from '../../lib/errors.ts';
import { AdminPageHeader } from '../admin/admin-layout.tsx';
import { OrganizationSelect } from '../admin/organization-select.tsx';
import { ssoApi, ssoKeys, type SsoProviderView } from './sso-api.ts';

type Values = {
  protocol: SsoProtocol;
  audience: 'customers' | 'staff';
  organization: { id: string; name: string } | null;
  domain: string;
  issuer: string;
  discoveryUrl: string;
  clientId: string;
  clientSecret: string;
  entryPoint: string;
  certificate: string;
  enabled: boolean;
};

const blank = (value: string) => (value.trim() === '' ? undefined : value.trim());

/** The provider's settings for the API: a new one with all of them; a change with what was typed (an empty secret keeps the old one). */
function payload(values: Values, editing: SsoProviderView | null) {
  const oidc = values.protocol === 'oidc';
  const common = { domain: values.domain.trim().toLowerCase(), issuer: values.issuer.trim(), enabled: values.enabled };
  const specific = oidc
    ? { discoveryUrl: blank(values.discoveryUrl) ?? null, clientId: blank(values.clientId), clientSecret: blank(values.clientSecret) }
    : { entryPoint: blank(values.entryPoint), certificate: blank(values.certificate) };
  if (editing) return { ...common, ...specific };
  return {
    protocol: values.protocol,
    forStaff: values.audience === 'staff',
    organizationId: values.audience === 'staff' ? null : (values.organization?.id ?? null),
    ...common,
    ...specific,
    discoveryUrl: oidc ? (blank(values.discoveryUrl) ?? undefined) : undefined,
  };
}

function ProviderForm({ editing, onDone }: { editing: SsoProviderView | null; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: {
      protocol: editing?.protocol ?? 'oidc',
      audience: editing?.forStaff ? 'staff' : 'customers',
      organization: editing?.organizationId ? { id: editing.organizationId, name: editing.organizationName ?? '' } : null,
      domain: editing?.domain ?? '',
      issuer: editing?.issuer ?? '',
      discoveryUrl: editing?.discoveryUrl ?? '',
      clientId: editing?.clientId ?? '',
      clientSecret: '',
      entryPoint: editing?.entryPoint ?? '',
      certificate: editing?.certificate ?? '',
      enabled: editing?.enabled ?? true,
    },
  });
  const save = useMutation({
    mutationFn: (values: Values) => (editing ? ssoApi.update(editing.id, payload(values, editing)) : ssoApi.create(payload(values, null))),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ssoKeys.providers });
      notifications.show({ color: 'green', message: i18n.t('sso.saved', { domain: saved.domain }) });
      onDone();
    },
    onError: (e) => setError(applyApiError(form, e)),
  });
  const oidc = form.values.protocol === 'oidc';

  return (
    <form noValidate onSubmit={form.onSubmit((values) => save.mutate(values))}>
      <Stack gap="sm">
        <ErrorAlert message={error} />
        {!editing && (
          <>
            <SegmentedControl
              aria-label={t('sso.protocol')}
              data={[
                { value: 'oidc', label: 'OpenID Connect' },
                { value: 'saml', label: 'SAML 2.0' },
              ]}
              {...form.getInputProps('protocol')}
            />
            <Radio.Group label={t('sso.audience')} {...form.getInputProps('audience')}>
              <Group gap="md" mt={4}>
                <Radio value="customers" label={t('sso.forCustomers')} />
                <Radio value="staff" label={t('sso.forStaff')} />
              </Group>
            </Radio.Group>
            {form.values.audience === 'customers' ? (
              <OrganizationSelect
                label={t('sso.organization')}
                required
                value={form.values.organization?.id ?? null}
                current={form.values.organization}
                onChange={(organization) => form.setFieldValue('organization', organization)}
                error={form.errors.organizationId}
              />
            ) : (
              <Text fz="sm" c="dimmed">
                {t('sso.staffHint')}
              </Text>
            )}
          </>
        )}
        <TextInput label={t('sso.domain')} description={t('sso.domainHint')} required {...form.getInputProps('domain')} data-testid="sso-domain" />
        <TextInput label={oidc ? t('sso.issuer') : t('sso.idpEntityId')} required {...form.getInputProps('issuer')} data-testid="sso-issuer" />
        {oidc ? (
          <>
            <TextInput label={t('sso.discoveryUrl')} description={t('sso.discoveryHint')} {...form.getInputProps('discoveryUrl')} />
            <TextInput label={t('sso.clientId')} required {...form.getInputProps('clientId')} data-testid="sso-client-id" />
            <TextInput
              label={t('sso.clientSecret')}
              type="password"
              autoComplete="off"
              required={!editing}
              description={editing?.clientSecretHint ? t('sso.clientSecretKept', { hint: editing.clientSecretHint }) : undefined}
              {...form.getInputProps('clientSecret')}
              data-testid="sso-client-secret"
            />
          </>
        ) : (
          <>
            <TextInput label={t('sso.entryPoint')} required {...form.getInputProps('entryPoint')} />
            <Textarea label={t('sso.certificate')} required autosize minRows={3} maxRows={8} ff="monospace" {...form.getInputProps('certificate')} />
          </>
        )}
        <Switch label={t('sso.enabled')} {...form.getInputProps('enabled', { type: 'checkbox' })} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} data-testid="sso-save">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ProviderRow({ provider, onEdit }: { provider: SsoProviderView; onEdit: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => ssoApi.remove(provider.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ssoKeys.providers }),
    onError: (e) => notifications.show({ color: 'red', message: errorMessage(e) }),
  });
  return (
    <Table.Tr data-testid="sso-provider-row" data-domain={provider.domain}>
      <Table.Td fw={500}>{provider.domain}</Table.Td>
      <Table.Td>{provider.protocol === 'oidc' ? 'OpenID Connect' : 'SAML 2.0'}</Table.Td>
      <Table.Td fz="sm">{provider.forStaff ? t('sso.forStaff') : provider.organizationName}</Table.Td>
      <Table.Td>
        <Badge variant="light" color={provider.enabled ? 'green' : 'gray'}>
          {provider.enabled ? t('sso.on') : t('sso.off')}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Code fz="xs" style={{ wordBreak: 'break-all' }}>
          {provider.callbackUrl}
        </Code>
        {provider.spEntityId && (
          <Text fz="xs" c="dimmed" mt={4} style={{ wordBreak: 'break-all' }}>
            {t('sso.spEntityId')} <Code fz="xs">{provider.spEntityId}</Code>
          </Text>
        )}
      </Table.Td>
      <Table.Td ta="right">
        <Group gap={4} justify="flex-end" wrap="nowrap">
          <Button size="xs" variant="subtle" onClick={onEdit} aria-label={t('sso.editLabel', { domain: provider.domain })}>
            {t('common.edit')}
          </Button>
          <Button size="xs" variant="subtle" color="red" onClick={() => setConfirming(true)} aria-label={t('sso.removeLabel', { domain: provider.domain })}>
            {t('sso.remove')}
          </Button>
        </Group>
        <Modal opened={confirming} onClose={() => setConfirming(false)} title={t('sso.removeLabel', { domain: provider.domain })}>
          <Stack gap="md">
            <Text fz="sm">{t('sso.removeText')}</Text>
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => setConfirming(false)}>
                {t('common.cancel')}
              </Button>
              <Button
                color="red"
                loading={remove.isPending}
                onClick={() => {
                  setConfirming(false);
                  remove.mutate();
                }}
              >
                {t('sso.remove')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      </Table.Td>
    </Table.Tr>
  );
}

/** Identity providers: an organization's users (or the staff) sign in through their company account. */
export function SsoProvidersPage() {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: ssoKeys.providers, queryFn: ({ signal }) => ssoApi.list(signal) });
  const [editing, setEditing] = useState<SsoProviderView | 'new' | null>(null);
  const providers = query.data?.items ?? [];
  return (
    <>
      <AdminPageHeader
        title={t('sso.title')}
        description={t('sso.description')}
        action={
          <Button onClick={() => setEditing('new')} data-testid="sso-create">
            {t('sso.create')}
          </Button>
        }
      />
      <Paper withBorder p="md">
        <ErrorAlert message={query.error ? errorMessage(query.error) : null} />
        <ListTable>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('sso.domain')}</Table.Th>
              <Table.Th>{t('sso.protocol')}</Table.Th>
              <Table.Th>{t('sso.audience')}</Table.Th>
              <Table.Th>{t('sso.state')}</Table.Th>
              <Table.Th>{t('sso.callbackUrl')}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {providers.map((provider) => (
              <ProviderRow key={provider.id} provider={provider} onEdit={() => setEditing(provider)} />
            ))}
            {query.isSuccess && providers.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={6}>
                  <Text c="dimmed" fz="sm" ta="center" py="md">
                    {t('sso.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </ListTable>
      </Paper>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? t('sso.create') : t('sso.edit')} size="lg">
        {editing !== null && <ProviderForm editing={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />}
      </Modal>
    </>
  );
}
