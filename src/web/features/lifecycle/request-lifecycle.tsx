import { useState } from 'react';
import { Alert, Anchor, Button, Group, Modal, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { CRITICALITIES, CRITICALITY_LABELS, type Criticality } from '#shared/tickets.ts';
import { BODY_MAX, SUMMARY_MAX, type TicketDetail } from '#shared/tickets-api.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { i18n } from '../../i18n/index.ts';
import { applyApiError } from '../../lib/errors.ts';
import { useSubmission } from '../../lib/submission.ts';
import { allOf, maxLength, required } from '../../lib/validation.ts';
import { useLanguage } from '../requests/labels.tsx';
import { useSlaFormat } from '../sla/sla-format.ts';
import { useRequestCreated } from '../requests/requests-api.ts';
import { SurveyForm } from '../survey/survey-form.tsx';
import { lifecycleApi, useRequestLifecycle, useStoreLifecycle } from './lifecycle-api.ts';

/**
 * On the request page (DESIGN.md §2): when the next automatic step happens, why a request was
 * resolved automatically, the closure with "open a follow-up request", and the satisfaction survey.
 */
export function RequestLifecycle({ detail, staff }: { detail: TicketDetail; staff: boolean }) {
  const { t } = useTranslation();
  // Dates in the business calendar's zone, as the e-mails and the SLA commitments give them.
  const format = useSlaFormat();
  const version = `${detail.status}-${detail.updatedAt}`;
  const query = useRequestLifecycle(detail.key, version);
  const store = useStoreLifecycle(detail.key, version);
  const [followUp, setFollowUp] = useState(false);
  const data = query.data;
  if (!data) return null;
  const next = data.next;
  return (
    <Stack gap="sm" data-testid="request-lifecycle">
      {data.followUpOf && (
        <Text fz="sm" data-testid="follow-up-of">
          <Anchor component={Link} to={`/requests/${data.followUpOf.key}`}>
            {t('lifecycle.closed.followUpOf', { key: data.followUpOf.key })}
          </Anchor>
        </Text>
      )}
      {data.autoResolvedAt && detail.status === 'resolved' && (
        <Alert color="teal" variant="light" data-testid="notice-auto-resolved">
          {t('lifecycle.notice.autoResolved', { date: format.dateTime(data.autoResolvedAt) })}
        </Alert>
      )}
      {next && (
        <Alert color="blue" variant="light" title={t('lifecycle.notice.title')} data-testid="notice-next-step" data-action={next.action} data-at={next.at}>
          {staff
            ? t(`lifecycle.notice.staff.${next.action}`, { date: format.dateTime(next.at) })
            : t(`lifecycle.notice.${next.action}`, { date: format.dateTime(next.at) })}
        </Alert>
      )}
      {data.closedAt && (
        <Alert color="gray" variant="light" title={t('lifecycle.closed.title')} data-testid="notice-closed">
          <Group justify="space-between" gap="sm">
            <Text fz="sm">{t('lifecycle.closed.text', { date: format.dateTime(data.closedAt) })}</Text>
            {data.canOpenFollowUp && (
              <Button size="xs" onClick={() => setFollowUp(true)} data-testid="action-follow-up">
                {t('lifecycle.followUp.open')}
              </Button>
            )}
          </Group>
        </Alert>
      )}
      {data.survey?.canAnswer && (
        <Alert color="yellow" variant="light" title={t('lifecycle.survey.title')} data-testid="survey-on-page">
          <Text fz="sm" mb="sm">
            {t('lifecycle.survey.intro', { key: detail.key })}
          </Text>
          <SurveyForm onSubmit={async (answer) => store(await lifecycleApi.answerOnPage(detail.key, answer))} />
        </Alert>
      )}
      {data.survey?.answered && data.survey.rating !== null && (
        <Text fz="sm" c="dimmed" data-testid="survey-answered">
          {t('lifecycle.survey.thanks', { rating: data.survey.rating })}
        </Text>
      )}
      {data.canOpenFollowUp && <FollowUpModal detail={detail} opened={followUp} onClose={() => setFollowUp(false)} />}
    </Stack>
  );
}

/**
 * The follow-up's proposed summary names the earlier request; a long earlier summary is shortened
 * visibly ("…") in the proposal, which the person sees and may edit before sending.
 */
function followUpSummary(key: string, summary: string): string {
  const full = i18n.t('lifecycle.followUp.defaultSummary', { key, summary });
  if (full.length <= SUMMARY_MAX) return full;
  const room = Math.max(0, SUMMARY_MAX - (full.length - summary.length) - 1);
  return i18n.t('lifecycle.followUp.defaultSummary', { key, summary: `${summary.slice(0, room).trimEnd()}…` });
}

function FollowUpModal({ detail, opened, onClose }: { detail: TicketDetail; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const navigate = useNavigate();
  const created = useRequestCreated();
  const [pending, setPending] = useState(false);
  const submission = useSubmission();
  const [general, setGeneral] = useState<string | null>(null);
  const form = useForm<{ summary: string; description: string; criticality: Criticality }>({
    initialValues: {
      summary: followUpSummary(detail.key, detail.summary),
      description: '',
      criticality: detail.criticality,
    },
    validate: {
      summary: allOf(required, maxLength(SUMMARY_MAX)),
      description: allOf(required, maxLength(BODY_MAX)),
    },
  });
  const submit = form.onSubmit(async (values) => {
    setPending(true);
    setGeneral(null);
    try {
      const result = await submission(values, (key) => lifecycleApi.openFollowUp(detail.key, values, key));
      created();
      onClose();
      void navigate(`/requests/${result.key}`);
    } catch (error) {
      setGeneral(applyApiError(form, error));
    } finally {
      setPending(false);
    }
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('lifecycle.followUp.title', { key: detail.key })} size="lg">
      <form onSubmit={submit} noValidate data-testid="follow-up-form">
        <Stack gap="sm">
          <TextInput label={t('lifecycle.followUp.summary')} required {...form.getInputProps('summary')} data-testid="follow-up-summary" />
          <Textarea
            label={t('lifecycle.followUp.description')}
            required
            autosize
            minRows={4}
            {...form.getInputProps('description')}
            data-testid="follow-up-description"
          />
          <Select
            label={t('lifecycle.followUp.criticality')}
            data={CRITICALITIES.map((c) => ({ value: c, label: CRITICALITY_LABELS[c][language] }))}
            allowDeselect={false}
            {...form.getInputProps('criticality')}
            data-testid="follow-up-criticality"
          />
          <ErrorAlert message={general} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={pending} data-testid="follow-up-submit">
              {t('lifecycle.followUp.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
