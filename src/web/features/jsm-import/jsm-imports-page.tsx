import { useState } from 'react';
import { Anchor, Badge, Button, Group, Modal, Paper, PasswordInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { JsmImportStatus } from '#shared/jsm-import-api.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { ListTable } from '../../components/list-table.tsx';
import { useDateFormat } from '../../lib/dates.ts';
import { applyApiError, errorMessage } from '../../lib/errors.ts';
import { AdminPageHeader } from '../admin/admin-layout.tsx';
import { jsmImportKeys, jsmImportsApi, useJsmImports, type JsmImport, type JsmImportCreate } from './jsm-import-api.ts';

const STATUS_COLORS: Record<JsmImportStatus, string> = {
  draft: 'gray',
  queued: 'blue',
  running: 'blue',
  pausing: 'yellow',
  paused: 'yellow',
  completed: 'green',
  failed: 'red',
};

export function JsmImportStatusBadge({ item }: { item: Pick<JsmImport, 'status' | 'dryRun'> }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="wrap">
      <Badge variant="light" color={STATUS_COLORS[item.status]} data-testid="jsm-import-status" data-status={item.status}>
        {t(`jsmImport.statuses.${item.status}`)}
      </Badge>
      {item.dryRun && item.status !== 'draft' && (
        <Badge variant="outline" color="gray">
          {t('jsmImport.dryRunBadge')}
        </Badge>
      )}
    </Group>
  );
}

/** The connection to a JSM Cloud site: checked by the server, which then proposes a mapping. */
function NewImportForm({ onCancel, onCreated }: { onCancel: () => void; onCreated: (created: JsmImport) => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<JsmImportCreate>({
    initialValues: { site: 'https://', email: '', token: '' },
    validate: {
      site: (value) => (value.trim() && value.trim() !== 'https://' ? null : t('validation.required')),
      email: (value) => (value.trim() ? null : t('validation.required')),
      token: (value) => (value.trim() ? null : t('validation.required')),
    },
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        setError(null);
        try {
          onCreated(await jsmImportsApi.create({ site: values.site.trim(), email: values.email.trim(), token: values.token.trim() }));
        } catch (e) {
          setError(applyApiError(form, e));
        }
      })}
    >
      <Stack gap="md">
        <ErrorAlert message={error} />
        <TextInput
          label={t('jsmImport.site')}
          description={t('jsmImport.siteHint')}
          required
          type="url"
          autoComplete="url"
          data-testid="jsm-import-site"
          {...form.getInputProps('site')}
        />
        <TextInput
          label={t('jsmImport.email')}
          description={t('jsmImport.emailHint')}
          required
          type="email"
          autoComplete="off"
          data-testid="jsm-import-email"
          {...form.getInputProps('email')}
        />
        <PasswordInput
          label={t('jsmImport.token')}
          description={t('jsmImport.tokenHint')}
          required
          autoComplete="off"
          data-testid="jsm-import-token"
          {...form.getInputProps('token')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            {t('jsmImport.cancel')}
          </Button>
          <Button type="submit" loading={form.submitting} data-testid="jsm-import-connect">
            {t('jsmImport.connect')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Administration → Import from JSM: the imports so far, and a new one. */
export function JsmImportsPage() {
  const { t } = useTranslation();
  const format = useDateFormat();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const imports = useJsmImports();
  const [creating, setCreating] = useState(false);

  return (
    <>
      <AdminPageHeader
        title={t('jsmImport.title')}
        description={t('jsmImport.description')}
        action={
          <Button onClick={() => setCreating(true)} data-testid="jsm-import-create">
            {t('jsmImport.create')}
          </Button>
        }
      />
      {imports.isError && <ErrorAlert message={errorMessage(imports.error)} />}
      <Paper withBorder p="md">
        <ListTable verticalSpacing="sm" data-testid="jsm-imports-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('jsmImport.site')}</Table.Th>
              <Table.Th>{t('jsmImport.status')}</Table.Th>
              <Table.Th>{t('jsmImport.createdAt')}</Table.Th>
              <Table.Th>{t('jsmImport.finishedAt')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {imports.data?.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={4}>
                  <Text c="dimmed" fz="sm">
                    {t('jsmImport.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {imports.data?.map((item) => (
              <Table.Tr key={item.id} data-testid="jsm-import-row">
                <Table.Td>
                  <Anchor component={Link} to={`/admin/jsm-import/${item.id}`} fz="sm">
                    {item.site}
                  </Anchor>
                  <Text fz="xs" c="dimmed">
                    {item.email}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <JsmImportStatusBadge item={item} />
                </Table.Td>
                <Table.Td fz="sm">{format.dateTime(item.createdAt)}</Table.Td>
                <Table.Td fz="sm">{item.finishedAt ? format.dateTime(item.finishedAt) : '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ListTable>
      </Paper>
      <Modal opened={creating} onClose={() => setCreating(false)} title={t('jsmImport.createTitle')} size="lg">
        <Stack gap="md">
          <Text fz="sm" c="dimmed">
            {t('jsmImport.createText')}
          </Text>
          <NewImportForm
            onCancel={() => setCreating(false)}
            onCreated={(created) => {
              queryClient.setQueryData(jsmImportKeys.one(created.id), created);
              void queryClient.invalidateQueries({ queryKey: jsmImportKeys.all, exact: true });
              setCreating(false);
              void navigate(`/admin/jsm-import/${created.id}`);
            }}
          />
        </Stack>
      </Modal>
    </>
  );
}
