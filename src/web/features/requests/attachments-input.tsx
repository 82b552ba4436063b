import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import { ActionIcon, Anchor, Box, FileButton, Group, Input, Progress, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { useFileSize } from '../../lib/file-size.ts';
import { uploadAttachment, useAttachmentLimits, type Attachment } from './requests-api.ts';
import classes from './requests.module.css';

export type Upload = {
  /** Local id, stable while the file is listed. */
  localId: string;
  file: File;
  progress: number;
  attachment: Attachment | null;
  error: string | null;
  controller: AbortController;
};

/** Files uploaded as soon as they are chosen; the form sends only the ids of those that arrived. */
export function useUploads() {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const live = useRef(uploads);
  live.current = uploads;

  const patch = useCallback((localId: string, change: Partial<Upload>) => {
    setUploads((list) => list.map((u) => (u.localId === localId ? { ...u, ...change } : u)));
  }, []);

  const maxBytes = useAttachmentLimits().data?.maxBytes;

  const add = useCallback(
    (files: File[]) => {
      const added = files.map<Upload>((file) => ({
        localId: `${Date.now()}-${Math.random().toString(16).slice(2)}`,
        file,
        progress: 0,
        attachment: null,
        // A file over the limit is refused at once, and never sent (the server would refuse it after the whole upload).
        error: maxBytes !== undefined && file.size > maxBytes ? errorMessage(new ApiError(413, 'attachment.too_large', '', 'file', maxBytes)) : null,
        controller: new AbortController(),
      }));
      setUploads((list) => [...list, ...added]);
      for (const upload of added) {
        if (upload.error) continue;
        uploadAttachment(upload.file, (progress) => patch(upload.localId, { progress }), upload.controller.signal)
          .then((attachment) => patch(upload.localId, { attachment, progress: 1 }))
          .catch((error: unknown) => {
            if (error instanceof DOMException && error.name === 'AbortError') return;
            patch(upload.localId, { error: errorMessage(error) });
          });
      }
    },
    [patch, maxBytes],
  );

  const remove = useCallback((localId: string) => {
    setUploads((list) => {
      list.find((u) => u.localId === localId)?.controller.abort();
      return list.filter((u) => u.localId !== localId);
    });
  }, []);

  const reset = useCallback(() => setUploads([]), []);

  useEffect(
    () => () => {
      for (const upload of live.current) upload.controller.abort();
    },
    [],
  );

  return {
    uploads,
    add,
    remove,
    reset,
    maxBytes,
    ids: uploads.flatMap((u) => (u.attachment ? [u.attachment.id] : [])),
    busy: uploads.some((u) => !u.attachment && !u.error),
  };
}

export type Uploads = ReturnType<typeof useUploads>;

export function FileIcon({ size = 16 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" aria-hidden focusable="false">
      <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" />
      <path d="M14 3v5h5" />
    </svg>
  );
}

/** A drop zone with a "choose files" button and the list of uploads with their progress or error. */
export function AttachmentsInput({
  uploads,
  error,
  testId = 'attachments',
  compact = false,
}: {
  uploads: Uploads;
  error?: string | null;
  testId?: string;
  compact?: boolean;
}) {
  const { t } = useTranslation();
  const formatSize = useFileSize();
  const [dragging, setDragging] = useState(false);
  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const files = Array.from(event.dataTransfer.files);
    if (files.length) uploads.add(files);
  };
  return (
    <Stack gap={6}>
      {!compact && <Input.Label>{t('requests.attachments.label')}</Input.Label>}
      <Box
        className={classes.dropzone}
        data-dragging={dragging || undefined}
        data-compact={compact || undefined}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid={`${testId}-dropzone`}
      >
        <Group gap={6} justify={compact ? 'flex-start' : 'center'} wrap="wrap">
          <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" aria-hidden focusable="false">
            <path d="m21 12-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l8-8" />
          </svg>
          <Text fz="sm" c="dimmed">
            {t('requests.attachments.drop')}
          </Text>
          <FileButton multiple onChange={(files) => files.length && uploads.add(files)} inputProps={{ 'data-testid': `${testId}-input` } as object}>
            {(props) => (
              <Anchor component="button" type="button" fz="sm" fw={500} {...props} data-testid={`${testId}-choose`}>
                {t('requests.attachments.choose')}
              </Anchor>
            )}
          </FileButton>
        </Group>
        {!compact && (
          <Text fz="xs" c="dimmed" ta="center" mt={2}>
            {t('requests.attachments.hint')}
            {uploads.maxBytes !== undefined && <> {t('requests.attachments.limit', { limit: uploads.maxBytes })}</>}
          </Text>
        )}
      </Box>
      {uploads.uploads.length > 0 && (
        <Stack gap={4} data-testid={`${testId}-list`}>
          {uploads.uploads.map((upload) => (
            <Box
              key={upload.localId}
              className={classes.upload}
              data-state={upload.error ? 'error' : upload.attachment ? 'done' : 'uploading'}
              data-testid={`${testId}-item`}
              data-name={upload.file.name}
            >
              <Group gap="xs" wrap="nowrap" justify="space-between">
                <Group gap={8} wrap="nowrap" miw={0}>
                  <Box c={upload.error ? 'red' : 'dimmed'}>
                    <FileIcon />
                  </Box>
                  <Text fz="sm" truncate miw={0}>
                    {upload.file.name}
                  </Text>
                  <Text fz="xs" c="dimmed" style={{ flexShrink: 0 }}>
                    {formatSize(upload.file.size)}
                  </Text>
                </Group>
                <Tooltip label={t('requests.attachments.remove', { name: upload.file.name })} withArrow>
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    size="sm"
                    onClick={() => uploads.remove(upload.localId)}
                    aria-label={t('requests.attachments.remove', { name: upload.file.name })}
                    data-testid={`${testId}-remove`}
                  >
                    <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden focusable="false">
                      <path d="M6 6l12 12M18 6 6 18" />
                    </svg>
                  </ActionIcon>
                </Tooltip>
              </Group>
              {!upload.attachment && !upload.error && (
                <Progress value={Math.round(upload.progress * 100)} size="xs" mt={4} aria-label={t('requests.attachments.uploading')} animated />
              )}
              {upload.error && (
                <Text fz="xs" c="red" mt={2} role="alert" data-testid={`${testId}-error`}>
                  {upload.error}
                </Text>
              )}
            </Box>
          ))}
        </Stack>
      )}
      {error && (
        <Input.Error role="alert" data-testid={`${testId}-field-error`}>
          {error}
        </Input.Error>
      )}
    </Stack>
  );
}
