import { useState } from 'react';
import { Button, Group, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { BODY_MAX } from '#shared/tickets-api.ts';
import { i18n } from '../../i18n/index.ts';
import { ApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { useSubmission } from '../../lib/submission.ts';
import { maxLength, required } from '../../lib/validation.ts';
import { AttachmentsInput, useUploads } from './attachments-input.tsx';
import { MarkdownEditor } from './markdown-editor.tsx';
import { requestsApi, useStoreTicket, type TicketDetail } from './requests-api.ts';
import classes from './requests.module.css';

/** A public reply (everyone) or an internal note (Customer Services), in Markdown, with attachments. */
export function ReplyBox({ detail }: { detail: TicketDetail }) {
  const { t } = useTranslation();
  const storeTicket = useStoreTicket();
  const uploads = useUploads();
  const canNote = detail.permissions.addInternalNote;
  const [visibility, setVisibility] = useState<'public' | 'internal'>('public');
  const [body, setBody] = useState('');
  const [bodyError, setBodyError] = useState<string | null>(null);
  const [attachmentsError, setAttachmentsError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const submission = useSubmission();
  const internal = visibility === 'internal';

  const send = async () => {
    setBodyError(null);
    setAttachmentsError(null);
    const invalid = required(body) ?? maxLength(BODY_MAX)(body);
    if (invalid) {
      setBodyError(invalid);
      return;
    }
    if (uploads.busy) {
      setAttachmentsError(t('requests.attachments.busy'));
      return;
    }
    setSending(true);
    try {
      const message = { body: body.trim(), visibility, attachmentIds: uploads.ids };
      const updated = await submission(message, (key) => requestsApi.reply(detail.key, message, key));
      storeTicket(updated);
      setBody('');
      uploads.reset();
      notifications.show({ color: 'green', message: i18n.t(internal ? 'requests.reply.noteAdded' : 'requests.reply.sent') });
    } catch (error) {
      if (error instanceof ApiError && error.field === 'attachmentIds') setAttachmentsError(errorMessage(error));
      else setBodyError(errorMessage(error));
    } finally {
      setSending(false);
    }
  };

  return (
    <Paper withBorder p="md" className={classes.replyBox} data-visibility={visibility} data-testid="reply-box">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void send();
        }}
      >
        <Stack gap="sm">
          {canNote && (
            <Group justify="space-between" gap="xs">
              <SegmentedControl
                size="xs"
                value={visibility}
                onChange={(value) => setVisibility(value as 'public' | 'internal')}
                aria-label={t('requests.reply.mode')}
                color={internal ? 'yellow' : 'guichet'}
                data={[
                  { value: 'public', label: <span data-testid="reply-visibility-public">{t('requests.reply.public')}</span> },
                  { value: 'internal', label: <span data-testid="reply-visibility-internal">{t('requests.reply.internal')}</span> },
                ]}
              />
              <Text fz="xs" c={internal ? 'yellow.9' : 'dimmed'} fw={internal ? 600 : 400}>
                {internal ? t('requests.reply.internalHint') : t('requests.reply.publicHintAgent')}
              </Text>
            </Group>
          )}
          <MarkdownEditor
            label={internal ? t('requests.reply.bodyInternal') : t('requests.reply.body')}
            value={body}
            onChange={setBody}
            error={bodyError}
            minRows={4}
            testId="reply-body"
          />
          <Group justify="space-between" align="flex-start" gap="sm" wrap="nowrap">
            <div style={{ flex: 1, minWidth: 0 }}>
              <AttachmentsInput uploads={uploads} error={attachmentsError} testId="reply-attachments" compact />
            </div>
            <Button
              type="submit"
              loading={sending}
              disabled={uploads.busy}
              color={internal ? 'yellow' : undefined}
              c={internal ? 'dark' : undefined}
              data-testid="reply-send"
            >
              {internal ? t('requests.reply.sendInternal') : t('requests.reply.send')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
