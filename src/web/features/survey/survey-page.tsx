import { useState } from 'react';
import { Alert, Card, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../lib/page-title.ts';
import { lifecycleApi, useSurveyByLink, type SurveyByLink } from '../lifecycle/lifecycle-api.ts';
import { SurveyForm } from './survey-form.tsx';

/** /survey/:token, the link of the survey e-mail: no login needed; a forged or expired link opens nothing. */
export function SurveyPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  usePageTitle(t('lifecycle.survey.pageTitle'));
  const survey = useSurveyByLink(token);
  const [answered, setAnswered] = useState<SurveyByLink | null>(null);
  const data = answered ?? survey.data;

  if (survey.isPending) return <Skeleton h={240} maw={560} mx="auto" data-testid="survey-loading" />;
  if (!data) {
    return (
      <Stack align="center" py={64} ta="center" data-testid="survey-invalid">
        <Title order={1} fz="h2">
          {t('lifecycle.survey.invalidTitle')}
        </Title>
        <Text c="dimmed">{t('lifecycle.survey.invalidText')}</Text>
      </Stack>
    );
  }
  return (
    <Card withBorder maw={560} mx="auto" padding="lg" data-testid="page-survey">
      <Stack gap="md">
        <Title order={1} fz="h3">
          {t('lifecycle.survey.title')}
        </Title>
        <Text fz="sm" c="dimmed">
          {data.key} · {data.summary}
        </Text>
        {data.answered ? (
          <Alert color="teal" variant="light" data-testid="survey-thanks">
            {data.rating ? t('lifecycle.survey.thanks', { rating: data.rating }) : t('lifecycle.survey.answered')}
          </Alert>
        ) : (
          <>
            <Text fz="sm">{t('lifecycle.survey.intro', { key: data.key })}</Text>
            <SurveyForm onSubmit={async (answer) => setAnswered(await lifecycleApi.answerByLink(token, answer))} />
          </>
        )}
      </Stack>
    </Card>
  );
}
