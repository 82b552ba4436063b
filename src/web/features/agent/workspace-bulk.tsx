import { useState } from 'react';
import { Alert, Button, CloseButton, Group, List, Paper, Select, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { BulkAction, BulkUpdateResult } from '#shared/tickets-bulk-api.ts';
import type { Status } from '#shared/tickets.ts';
import { i18n } from '../../i18n/index.ts';
import { errorMessage } from '../../lib/errors.ts';
import { ApiError } from '../../lib/api.ts';
import { useTicketLabels } from '../requests/labels.tsx';
import { useBulkUpdate } from './workspace-api.ts';

/** The statuses offered for many requests at once; each request still follows its own transitions. Cancelling stays one at a time, with its confirmation. */
const BULK_STATUSES: Status[] = ['qualified', 'in_progress', 'waiting_customer', 'waiting_third_party', 'resolved'];
const NOBODY = '__nobody__';

/** A refused request's reason, in the interface language when the code is known. */
const refusal = (error: NonNullable<BulkUpdateResult['items'][number]['error']>) => errorMessage(new ApiError(error.status, error.code, error.message));

/** Under the list while requests are checked: assign them or change their status, then what was done and what was refused. */
export function BulkBar({
  keys,
  agents,
  onDone,
  onClear,
}: {
  keys: string[];
  agents: { id: string; name: string }[];
  onDone: (result: BulkUpdateResult) => void;
  onClear: () => void;
}) {
  const { t } = useTranslation();
  const labels = useTicketLabels('staff');
  const bulk = useBulkUpdate();
  const [assignee, setAssignee] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [result, setResult] = useState<BulkUpdateResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const run = async (action: BulkAction) => {
    setFailure(null);
    try {
      const done = await bulk.mutateAsync({ keys, action });
      setResult(done);
      setAssignee(null);
      setStatus(null);
      onDone(done);
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };

  return (
    <>
      {keys.length > 0 && (
        <Paper withBorder p="xs" mt="xs" data-testid="bulk-bar" bg="var(--mantine-primary-color-light)">
          <Group gap="xs" wrap="wrap" align="flex-end">
            <Text fz="sm" fw={600} data-testid="bulk-count">
              {t('workspace.list.bulk.selected', { count: keys.length })}
            </Text>
            <Select
              aria-label={t('workspace.list.bulk.assign')}
              placeholder={t('workspace.list.bulk.assignPlaceholder')}
              data={[{ value: NOBODY, label: t('workspace.list.bulk.unassign') }, ...agents.map((a) => ({ value: a.id, label: a.name }))]}
              value={assignee}
              onChange={setAssignee}
              searchable
              size="xs"
              w={200}
              data-testid="bulk-assignee"
              comboboxProps={{ withinPortal: true }}
            />
            <Button
              size="xs"
              disabled={!assignee}
              loading={bulk.isPending && bulk.variables?.action.type === 'assign'}
              onClick={() => void run({ type: 'assign', assigneeId: assignee === NOBODY ? null : assignee })}
              data-testid="bulk-assign-apply"
            >
              {t('workspace.list.bulk.assign')}
            </Button>
            <Select
              aria-label={t('workspace.list.bulk.status')}
              placeholder={t('workspace.list.bulk.statusPlaceholder')}
              data={BULK_STATUSES.map((s) => ({ value: s, label: labels.status(s) }))}
              value={status}
              onChange={setStatus}
              size="xs"
              w={200}
              data-testid="bulk-status"
              comboboxProps={{ withinPortal: true }}
            />
            <Button
              size="xs"
              disabled={!status}
              loading={bulk.isPending && bulk.variables?.action.type === 'status'}
              onClick={() => void run({ type: 'status', to: status as Status })}
              data-testid="bulk-status-apply"
            >
              {t('workspace.list.bulk.apply')}
            </Button>
            <Button size="xs" variant="subtle" color="gray" onClick={onClear} data-testid="bulk-clear">
              {t('workspace.list.bulk.clear')}
            </Button>
          </Group>
          {failure && (
            <Text c="red.7" fz="sm" mt={4} role="alert">
              {failure}
            </Text>
          )}
        </Paper>
      )}
      {result && (
        <Alert
          mt="xs"
          color={result.failed === 0 ? 'green' : result.succeeded === 0 ? 'red' : 'orange'}
          variant="light"
          title={
            result.failed === 0
              ? i18n.t('workspace.list.bulk.allDone', { count: result.succeeded })
              : t('workspace.list.bulk.resultTitle', { ok: result.succeeded, failed: result.failed })
          }
          withCloseButton={false}
          data-testid="bulk-result"
          data-succeeded={result.succeeded}
          data-failed={result.failed}
        >
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            {result.failed > 0 ? (
              <List size="sm" spacing={2}>
                {result.items
                  .filter((item) => !item.ok && item.error)
                  .map((item) => (
                    <List.Item key={item.key} data-testid="bulk-refused" data-key={item.key}>
                      {t('workspace.list.bulk.refused', { key: item.key, message: refusal(item.error!) })}
                    </List.Item>
                  ))}
              </List>
            ) : (
              <span />
            )}
            <CloseButton size="sm" onClick={() => setResult(null)} aria-label={t('workspace.list.closePanel')} />
          </Group>
        </Alert>
      )}
    </>
  );
}
