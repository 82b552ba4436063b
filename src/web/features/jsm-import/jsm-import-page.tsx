import { useState } from 'react';
import { Alert, Anchor, Button, Group, Loader, Paper, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { JSM_IMPORT_PHASES } from '#shared/jsm-import-api.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { LabelledValue as Field } from '../../components/labelled-value.tsx';
import { ListTable } from '../../components/list-table.tsx';
import { useDateFormat } from '../../lib/dates.ts';
import { errorMessage } from '../../lib/errors.ts';
import { AdminPageHeader } from '../admin/admin-layout.tsx';
import { isActive, jsmImportKeys, jsmImportsApi, useJsmImport, type JsmImport, type JsmMapping } from './jsm-import-api.ts';
import { JsmImportStatusBadge } from './jsm-imports-page.tsx';
import { JsmMappingEditor } from './jsm-mapping-editor.tsx';

function CountsTable({ item }: { item: JsmImport }) {
  const { t } = useTranslation();
  return (
    <ListTable verticalSpacing="xs" data-testid="jsm-import-counts">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('jsmImport.report.kind')}</Table.Th>
          <Table.Th ta="right">{t('jsmImport.report.created')}</Table.Th>
          <Table.Th ta="right">{t('jsmImport.report.updated')}</Table.Th>
          <Table.Th ta="right">{t('jsmImport.report.unchanged')}</Table.Th>
          <Table.Th ta="right">{t('jsmImport.report.refused')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {item.counts.length === 0 && (
          <Table.Tr>
            <Table.Td colSpan={5}>
              <Text fz="sm" c="dimmed">
                {t('jsmImport.report.nothingYet')}
              </Text>
            </Table.Td>
          </Table.Tr>
        )}
        {item.counts.map((c) => (
          <Table.Tr key={c.kind} data-testid={`jsm-count-${c.kind}`}>
            <Table.Td fz="sm">{t(`jsmImport.kinds.${c.kind}`)}</Table.Td>
            <Table.Td fz="sm" ta="right" data-testid="created">
              {c.created}
            </Table.Td>
            <Table.Td fz="sm" ta="right" data-testid="updated">
              {c.updated}
            </Table.Td>
            <Table.Td fz="sm" ta="right" data-testid="unchanged">
              {c.unchanged}
            </Table.Td>
            <Table.Td fz="sm" ta="right" data-testid="refused">
              {c.refused}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </ListTable>
  );
}

/** Where the worker is: the phase, the requests handled, what JSM's rate limit cost. */
function ImportProgress({ item }: { item: JsmImport }) {
  const { t } = useTranslation();
  const format = useDateFormat();
  const phaseIndex = item.phase ? JSM_IMPORT_PHASES.indexOf(item.phase) : -1;
  const total = item.requestsTotal;
  const percent = total ? Math.min(100, Math.round((item.requestsDone / total) * 100)) : 0;
  const waiting = item.rateLimit.until !== null && isActive(item.status);
  return (
    <Stack gap="sm" data-testid="jsm-import-progress">
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <Field label={t('jsmImport.progress.phase')}>
          <span data-testid="jsm-import-phase">
            {item.phase
              ? t('jsmImport.progress.phaseOf', { phase: t(`jsmImport.phases.${item.phase}`), index: phaseIndex + 1, count: JSM_IMPORT_PHASES.length })
              : t('jsmImport.progress.notStarted')}
          </span>
        </Field>
        <Field label={t('jsmImport.progress.requests')}>
          <span data-testid="jsm-import-requests">
            {total === null
              ? t('jsmImport.progress.requestsSoFar', { done: item.requestsDone })
              : t('jsmImport.progress.requestsOf', { done: item.requestsDone, total })}
          </span>
        </Field>
        {item.startedAt && <Field label={t('jsmImport.startedAt')}>{format.dateTime(item.startedAt)}</Field>}
      </SimpleGrid>
      {/* Until JSM has counted the requests, the count so far says more than a bar. */}
      {total !== null && <Progress value={percent} size="lg" aria-label={t('jsmImport.progress.requests')} data-testid="jsm-import-bar" />}
      {item.rateLimit.waits > 0 && (
        <Text fz="sm" data-testid="jsm-import-rate-limit">
          {t('jsmImport.progress.rateLimit', { count: item.rateLimit.waits, seconds: Math.round(item.rateLimit.waitedSeconds) })}
          {waiting && item.rateLimit.until && ` ${t('jsmImport.progress.waitingUntil', { time: format.dateTime(item.rateLimit.until) })}`}
        </Text>
      )}
    </Stack>
  );
}

function Refusals({ item }: { item: JsmImport }) {
  const { t } = useTranslation();
  if (item.refusedTotal === 0) return null;
  return (
    <Stack gap="xs">
      <Title order={3} fz={16}>
        {t('jsmImport.report.refusals', { count: item.refusedTotal })}
      </Title>
      {item.refusals.length < item.refusedTotal && (
        <Text fz="sm" c="dimmed">
          {t('jsmImport.report.refusalsFirst', { count: item.refusals.length, total: item.refusedTotal })}
        </Text>
      )}
      <ListTable verticalSpacing="xs" data-testid="jsm-import-refusals">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('jsmImport.report.kind')}</Table.Th>
            <Table.Th>{t('jsmImport.report.item')}</Table.Th>
            <Table.Th>{t('jsmImport.report.reason')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {item.refusals.map((r) => (
            <Table.Tr key={`${r.kind}:${r.jsmId}:${r.code}`} data-testid="jsm-refusal">
              <Table.Td fz="sm">{t(`jsmImport.kinds.${r.kind}`)}</Table.Td>
              <Table.Td fz="sm">{r.label}</Table.Td>
              <Table.Td fz="sm">{r.reason}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ListTable>
    </Stack>
  );
}

/** One import: its mapping to edit, then its progress while it runs, and its report once done. */
export function JsmImportPage() {
  const { t } = useTranslation();
  const format = useDateFormat();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const query = useJsmImport(id);
  const item = query.data;
  const saved = (next: JsmImport) => {
    queryClient.setQueryData(jsmImportKeys.one(id), next);
    void queryClient.invalidateQueries({ queryKey: jsmImportKeys.all, exact: true });
  };
  // The error of the last action only: a start refused before the mapping was saved goes once it is.
  const [failure, setFailure] = useState<unknown>(null);
  const handlers = { onMutate: () => setFailure(null), onError: setFailure };
  const save = useMutation({
    mutationFn: (mapping: JsmMapping) => jsmImportsApi.saveMapping(id, mapping),
    ...handlers,
    onSuccess: (next) => {
      saved(next);
      notifications.show({ color: 'green', message: t('jsmImport.mapping.saved') });
    },
  });
  const start = useMutation({ mutationFn: (dryRun: boolean) => jsmImportsApi.start(id, dryRun), ...handlers, onSuccess: saved });
  const pause = useMutation({ mutationFn: () => jsmImportsApi.pause(id), ...handlers, onSuccess: saved });
  const resume = useMutation({ mutationFn: () => jsmImportsApi.resume(id), ...handlers, onSuccess: saved });

  const active = item ? isActive(item.status) : false;
  const stopped = item?.status === 'paused' || item?.status === 'failed';
  // The server resumes a pausing import too: a pause asked by mistake is taken back before it lands.
  const resumable = stopped || item?.status === 'pausing';
  const showProgress = item ? active || stopped : false;

  return (
    <>
      <AdminPageHeader
        title={item ? t('jsmImport.importTitle', { site: item.site.replace(/^https?:\/\//, '') }) : t('jsmImport.title')}
        action={
          <Anchor component={Link} to="/admin/jsm-import" fz="sm">
            {t('jsmImport.back')}
          </Anchor>
        }
      />
      {query.isError && <ErrorAlert message={errorMessage(query.error)} />}
      {query.isPending && <Loader size="sm" aria-label={t('common.loading')} />}
      {item && (
        <>
          <Paper withBorder p="md">
            <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
              <Field label={t('jsmImport.site')}>{item.site}</Field>
              <Field label={t('jsmImport.email')}>{item.email}</Field>
              <Field label={t('jsmImport.status')}>
                <JsmImportStatusBadge item={item} />
              </Field>
              <Field label={item.finishedAt ? t('jsmImport.finishedAt') : t('jsmImport.createdAt')}>{format.dateTime(item.finishedAt ?? item.createdAt)}</Field>
            </SimpleGrid>
          </Paper>

          <ErrorAlert message={failure ? errorMessage(failure) : null} />

          {item.dryRun && item.status !== 'draft' && (
            <Alert color="blue" variant="light" title={t('jsmImport.dryRunNoticeTitle')} data-testid="jsm-import-dry-run-notice">
              {t('jsmImport.dryRunNotice')}
            </Alert>
          )}

          {showProgress && (
            <Paper withBorder p="md">
              <Stack gap="md">
                <Group justify="space-between" gap="sm">
                  <Title order={2} fz={18}>
                    {t('jsmImport.progress.title')}
                  </Title>
                  <Group gap="sm">
                    {active && (
                      <Button
                        variant="default"
                        onClick={() => pause.mutate()}
                        loading={pause.isPending}
                        disabled={item.status === 'pausing'}
                        data-testid="jsm-import-pause"
                      >
                        {item.status === 'pausing' ? t('jsmImport.pausing') : t('jsmImport.pause')}
                      </Button>
                    )}
                    {resumable && (
                      <Button onClick={() => resume.mutate()} loading={resume.isPending} data-testid="jsm-import-resume">
                        {t('jsmImport.resume')}
                      </Button>
                    )}
                  </Group>
                </Group>
                {item.error && (
                  <Alert
                    color={item.status === 'failed' ? 'red' : 'yellow'}
                    variant="light"
                    title={item.status === 'failed' ? t('jsmImport.failedTitle') : t('jsmImport.lastErrorTitle')}
                    data-testid="jsm-import-error"
                  >
                    <Text fz="sm" style={{ overflowWrap: 'anywhere' }}>
                      {item.error}
                    </Text>
                  </Alert>
                )}
                <ImportProgress item={item} />
                <CountsTable item={item} />
                <Refusals item={item} />
              </Stack>
            </Paper>
          )}

          {item.status === 'completed' && (
            <Paper withBorder p="md" data-testid="jsm-import-report">
              <Stack gap="md">
                <Title order={2} fz={18}>
                  {item.dryRun ? t('jsmImport.report.dryRunTitle') : t('jsmImport.report.title')}
                </Title>
                <Text fz="sm" c="dimmed">
                  {t('jsmImport.report.requests', { count: item.requestsDone })}
                </Text>
                {item.rateLimit.waits > 0 && (
                  <Text fz="sm" data-testid="jsm-import-rate-limit">
                    {t('jsmImport.progress.rateLimit', { count: item.rateLimit.waits, seconds: Math.round(item.rateLimit.waitedSeconds) })}
                  </Text>
                )}
                <CountsTable item={item} />
                <Refusals item={item} />
              </Stack>
            </Paper>
          )}

          <Title order={2} fz={20} mt="sm">
            {t('jsmImport.mapping.title')}
          </Title>
          <Text fz="sm" c="dimmed" maw={720} mt={-8}>
            {active ? t('jsmImport.mapping.locked') : t('jsmImport.mapping.text')}
          </Text>
          <JsmMappingEditor
            // A mapping saved or changed by the server replaces what is on screen.
            key={JSON.stringify(item.mapping)}
            item={item}
            locked={active}
            saving={save.isPending}
            starting={start.isPending}
            onSave={(mapping) => save.mutate(mapping)}
            onStart={(dryRun) => start.mutate(dryRun)}
          />
        </>
      )}
    </>
  );
}
