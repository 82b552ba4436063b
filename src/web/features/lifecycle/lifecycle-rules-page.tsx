import { useState } from 'react';
import { Badge, Button, Group, Modal, NumberInput, Paper, Skeleton, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { lifecycleRulesInputSchema } from '#shared/lifecycle-api.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { i18n } from '../../i18n/index.ts';
import { applyApiError, errorMessage } from '../../lib/errors.ts';
import { schemaRules } from '../../lib/schema-validation.ts';
import { AdminPageHeader } from '../admin/admin-layout.tsx';
import { lifecycleApi, lifecycleKeys, useLifecycleRules, type DeskLifecycleRules, type LifecycleRulesInput } from './lifecycle-api.ts';
import { ListTable } from '../../components/list-table.tsx';

const FIELDS = ['firstReminderDays', 'secondReminderDays', 'resolveDays', 'closeDays'] as const;

/** /admin/lifecycle: the reminder, automatic-resolution and closure delays of each desk. */
export function LifecycleRulesPage() {
  const { t } = useTranslation();
  const rules = useLifecycleRules();
  const [editing, setEditing] = useState<DeskLifecycleRules | null>(null);
  return (
    <>
      <AdminPageHeader title={t('lifecycle.admin.title')} description={t('lifecycle.admin.intro')} />
      <Stack gap="md" data-testid="page-admin-lifecycle">
        <ErrorAlert message={rules.isError ? errorMessage(rules.error) : null} />
        <Paper withBorder>
          {rules.isPending ? (
            <Skeleton h={160} />
          ) : (
            <ListTable verticalSpacing="xs" data-testid="lifecycle-rules-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('lifecycle.admin.desk')}</Table.Th>
                  {FIELDS.map((f) => (
                    <Table.Th key={f} ta="right">
                      {t(`lifecycle.admin.${f}`)}
                    </Table.Th>
                  ))}
                  <Table.Th>
                    <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(rules.data ?? []).map((r) => (
                  <Table.Tr key={r.deskId} data-testid="lifecycle-rules-row" data-desk={r.deskName}>
                    <Table.Td>
                      <Group gap={6}>
                        <Text fz="sm">{r.deskName}</Text>
                        <Badge size="xs" variant="light" color={r.isDefault ? 'gray' : 'blue'}>
                          {r.isDefault ? t('lifecycle.admin.defaults') : t('lifecycle.admin.custom')}
                        </Badge>
                      </Group>
                    </Table.Td>
                    {FIELDS.map((f) => (
                      <Table.Td key={f} ta="right" data-testid={`rule-${f}`}>
                        {r[f]}
                      </Table.Td>
                    ))}
                    <Table.Td ta="right">
                      <Button
                        size="xs"
                        variant="light"
                        onClick={() => setEditing(r)}
                        aria-label={t('lifecycle.admin.edit', { desk: r.deskName })}
                        data-testid="lifecycle-rules-edit"
                      >
                        {t('common.edit')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </ListTable>
          )}
        </Paper>
      </Stack>
      {editing && <RulesModal key={editing.deskId} rules={editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function RulesModal({ rules, onClose }: { rules: DeskLifecycleRules; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState(false);
  const [general, setGeneral] = useState<string | null>(null);
  const form = useForm<LifecycleRulesInput>({
    initialValues: {
      firstReminderDays: rules.firstReminderDays,
      secondReminderDays: rules.secondReminderDays,
      resolveDays: rules.resolveDays,
      closeDays: rules.closeDays,
    },
    // An emptied field ('') is refused as missing: every delay is needed.
    validate: schemaRules(lifecycleRulesInputSchema),
  });
  const submit = form.onSubmit(async (values) => {
    setPending(true);
    setGeneral(null);
    try {
      await lifecycleApi.saveRules(rules.deskId, values);
      await queryClient.invalidateQueries({ queryKey: lifecycleKeys.rules });
      notifications.show({ color: 'green', message: i18n.t('lifecycle.admin.saved') });
      onClose();
    } catch (error) {
      setGeneral(applyApiError(form, error));
    } finally {
      setPending(false);
    }
  });
  return (
    <Modal opened onClose={onClose} title={t('lifecycle.admin.edit', { desk: rules.deskName })}>
      <form onSubmit={submit} noValidate data-testid="lifecycle-rules-form">
        <Stack gap="sm">
          {FIELDS.map((f) => (
            <NumberInput key={f} label={t(`lifecycle.admin.${f}`)} {...form.getInputProps(f)} data-testid={`rules-${f}`} />
          ))}
          <ErrorAlert message={general} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={pending} data-testid="lifecycle-rules-save">
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
