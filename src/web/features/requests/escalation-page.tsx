import { Anchor, Paper, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../lib/page-title.ts';

/** The escalation matrix is not published yet: the page says so plainly, and what to do meanwhile. */
export function EscalationPage() {
  const { t } = useTranslation();
  usePageTitle(t('requests.escalation.title'));
  return (
    <Paper withBorder p="lg" maw={720} data-testid="page-escalation">
      <Stack gap="sm">
        <Title order={1} fz={24}>
          {t('requests.escalation.title')}
        </Title>
        <Text>{t('requests.escalation.text')}</Text>
        <Text c="dimmed" fz="sm">
          {t('requests.escalation.meanwhile')}
        </Text>
        <Anchor component={Link} to="/" fz="sm">
          {t('common.backHome')}
        </Anchor>
      </Stack>
    </Paper>
  );
}
