import { useId, useState, type ReactNode } from 'react';
import { Box, Group, Input, SegmentedControl, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Markdown } from './markdown.tsx';
import classes from './requests.module.css';

type Props = {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: ReactNode;
  description?: ReactNode;
  placeholder?: string;
  required?: boolean;
  minRows?: number;
  testId?: string;
  onBlur?: () => void;
  disabled?: boolean;
};

/** A Markdown textarea with a "Preview" tab showing exactly what will be published. */
export function MarkdownEditor({ label, value, onChange, error, description, placeholder, required, minRows = 6, testId, onBlur, disabled }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const [mode, setMode] = useState<'write' | 'preview'>('write');
  const descriptionId = `${id}-description`;
  const errorId = `${id}-error`;
  return (
    <Box className={classes.mdEditor} data-error={error ? true : undefined}>
      <Group justify="space-between" align="flex-end" gap="xs" mb={4} wrap="nowrap">
        <Input.Label htmlFor={id} required={required} className={classes.mdLabel}>
          {label}
        </Input.Label>
        <SegmentedControl
          size="xs"
          value={mode}
          onChange={(next) => setMode(next as 'write' | 'preview')}
          aria-label={t('requests.markdown.mode', { field: label })}
          data={[
            { value: 'write', label: t('requests.markdown.write') },
            { value: 'preview', label: t('requests.markdown.preview') },
          ]}
          data-testid={testId ? `${testId}-mode` : undefined}
        />
      </Group>
      {description && (
        <Input.Description id={descriptionId} mb={6}>
          {description}
        </Input.Description>
      )}
      {mode === 'write' ? (
        <Textarea
          id={id}
          value={value}
          onChange={(event) => onChange(event.currentTarget.value)}
          onBlur={onBlur}
          placeholder={placeholder}
          autosize
          minRows={minRows}
          maxRows={24}
          required={required}
          disabled={disabled}
          error={Boolean(error)}
          aria-describedby={[description ? descriptionId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined}
          data-testid={testId}
          classNames={{ input: classes.mdInput }}
        />
      ) : (
        <Box className={classes.mdPreview} data-testid={testId ? `${testId}-preview` : undefined} mih={minRows * 24 + 18}>
          {value.trim() ? (
            <Markdown source={value} />
          ) : (
            <Text c="dimmed" fz="sm">
              {t('requests.markdown.emptyPreview')}
            </Text>
          )}
        </Box>
      )}
      <Group justify="space-between" gap="xs" mt={4} wrap="nowrap">
        {error ? <Input.Error id={errorId}>{error}</Input.Error> : <span />}
        <Text fz={11} c="dimmed" ta="right">
          {t('requests.markdown.hint')}
        </Text>
      </Group>
    </Box>
  );
}
