import type { ReactNode } from 'react';
import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../lib/page-title.ts';

function StatusPage({ code, title, text, testId, action }: { code: string; title: string; text: string; testId: string; action?: ReactNode }) {
  const { t } = useTranslation();
  usePageTitle(title);
  return (
    <Center mih="50vh" data-testid={testId}>
      <Stack align="center" gap="sm" maw={520} ta="center">
        <Text c="dimmed" fw={700} fz={48} lh={1} aria-hidden>
          {code}
        </Text>
        <Title order={1} fz="h2">
          {title}
        </Title>
        <Text c="dimmed">{text}</Text>
        {action ?? (
          <Button component={Link} to="/" variant="light" mt="sm">
            {t('common.backHome')}
          </Button>
        )}
      </Stack>
    </Center>
  );
}

export function ForbiddenPage() {
  const { t } = useTranslation();
  return <StatusPage code="403" title={t('status.forbiddenTitle')} text={t('status.forbiddenText')} testId="page-forbidden" />;
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return <StatusPage code="404" title={t('status.notFoundTitle')} text={t('status.notFoundText')} testId="page-not-found" />;
}

export function LoadFailedPage({ message, onRetry }: { message: string; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <StatusPage
      code="!"
      title={t('status.loadFailedTitle')}
      text={message}
      testId="page-load-failed"
      action={
        <Button variant="light" mt="sm" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      }
    />
  );
}
