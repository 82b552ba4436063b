import { Box, Button, CopyButton, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** The backup codes, shown once: to copy or download before going on. */
export function BackupCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const text = `${codes.join('\n')}\n`;
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'guichet-backup-codes.txt';
    link.click();
    URL.revokeObjectURL(url);
  };
  return (
    <Stack gap="sm" data-testid="two-factor-backup-codes">
      <Title order={3} fz="md">
        {t('twoFactor.backupTitle')}
      </Title>
      <Text fz="sm">{t('twoFactor.backupText')}</Text>
      <Paper withBorder p="sm" bg="var(--mantine-color-gray-0)">
        <Box
          component="ul"
          aria-label={t('twoFactor.backupList')}
          style={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', gap: 6, listStyle: 'none', margin: 0, padding: 0 }}
        >
          {codes.map((code) => (
            <Text component="li" key={code} ff="monospace" fz="sm" data-testid="backup-code">
              {code}
            </Text>
          ))}
        </Box>
      </Paper>
      <Group gap="xs" justify="space-between">
        <Group gap="xs">
          <CopyButton value={text}>
            {({ copied, copy }) => (
              <Button variant="default" size="sm" onClick={copy}>
                {copied ? t('twoFactor.copied') : t('twoFactor.copy')}
              </Button>
            )}
          </CopyButton>
          <Button variant="default" size="sm" onClick={download}>
            {t('twoFactor.download')}
          </Button>
        </Group>
        <Button size="sm" onClick={onDone} data-testid="two-factor-backup-done">
          {t('twoFactor.backupDone')}
        </Button>
      </Group>
    </Stack>
  );
}
