import { useState } from 'react';
import { Alert, Button, Center, Loader, Modal, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { MessageOriginal } from '#shared/inbound-api.ts';
import { api } from '../../lib/api.ts';
import { useDateFormat } from '../../lib/dates.ts';
import { errorMessage } from '../../lib/errors.ts';
import classes from './requests.module.css';

/**
 * A message that arrived by e-mail shows what the sender wrote before the quoted history and the
 * signature were cut, loaded only when asked for.
 */
export function ViewOriginal({ ticketKey, messageId }: { ticketKey: string; messageId: string }) {
  const { t } = useTranslation();
  const format = useDateFormat();
  const [opened, setOpened] = useState(false);
  const original = useQuery({
    queryKey: ['requests', ticketKey, 'messages', messageId, 'original'],
    queryFn: ({ signal }) => api<MessageOriginal>(`/requests/${encodeURIComponent(ticketKey)}/messages/${messageId}/original`, { signal }),
    enabled: opened,
    staleTime: Number.POSITIVE_INFINITY,
  });
  return (
    <>
      <Button variant="subtle" size="compact-xs" onClick={() => setOpened(true)} data-testid="message-view-original">
        {t('requests.detail.viewOriginal')}
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={t('requests.detail.originalTitle')} size="xl">
        {original.isPending ? (
          <Center h={120}>
            <Loader size="sm" aria-label={t('common.loading')} />
          </Center>
        ) : original.isError ? (
          <Alert color="red" variant="light" role="alert">
            {t('requests.detail.originalFailed')} {errorMessage(original.error)}
          </Alert>
        ) : (
          <Stack gap="sm" data-testid="message-original">
            <div>
              <Text fz="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
                {original.data.subject}
              </Text>
              <Text fz="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                {t('requests.detail.originalFrom', { from: original.data.from, date: format.dateTime(original.data.receivedAt) })}
              </Text>
            </div>
            <pre className={classes.originalText} data-testid="message-original-text">
              {original.data.text}
            </pre>
          </Stack>
        )}
      </Modal>
    </>
  );
}
