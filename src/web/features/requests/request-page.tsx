import { useState, type ReactNode } from 'react';
import {
  ActionIcon,
  Alert,
  Anchor,
  Avatar,
  Box,
  Breadcrumbs,
  Button,
  Card,
  Grid,
  Group,
  Modal,
  MultiSelect,
  Skeleton,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { isFinal, type Status } from '#shared/tickets.ts';
import { LoadFailedPage } from '../../components/status-page.tsx';
import { i18n } from '../../i18n/index.ts';
import { ApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { useDateFormat } from '../../lib/dates.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { useMe } from '../session/session.ts';
import { AgentSla, CustomerSla } from '../sla/request-sla.tsx';
import { RequestLifecycle } from '../lifecycle/request-lifecycle.tsx';
import { AssigneeSelect, CriticalityModal, MoveModal, QualifyModal, StatusMenu } from './agent-actions.tsx';
import { FileIcon } from './attachments-input.tsx';
import { useFileSize } from '../../lib/file-size.ts';
import { CriticalityBadge, StatusBadge, useTicketLabels } from './labels.tsx';
import { Markdown } from './markdown.tsx';
import { AttachmentChips, initials, lastLowering, RequestActivity } from './request-activity.tsx';
import { ReplyBox } from './reply-box.tsx';
import { attachmentUrl, requestsApi, useMembers, useTicket, type TicketDetail } from './requests-api.ts';
import { useTicketAction } from './ticket-actions.ts';
import classes from './requests.module.css';
import { TimeLogPanel } from '../flex/time-log-panel.tsx';
import { useMarkTicketNotificationsRead } from '../notifications/notifications-api.ts';

function NotFound() {
  const { t } = useTranslation();
  usePageTitle(t('requests.detail.notFoundTitle'));
  return (
    <Stack align="center" gap="sm" py={64} ta="center" data-testid="page-request-not-found">
      <Text c="dimmed" fw={700} fz={48} lh={1} aria-hidden>
        404
      </Text>
      <Title order={1} fz="h2">
        {t('requests.detail.notFoundTitle')}
      </Title>
      <Text c="dimmed">{t('requests.detail.notFoundText')}</Text>
      <Button component={Link} to="/" variant="light" mt="sm">
        {t('common.backHome')}
      </Button>
    </Stack>
  );
}

function PageSkeleton() {
  return (
    <Stack gap="md" data-testid="request-loading" aria-busy="true">
      <Skeleton h={18} w={220} />
      <Skeleton h={34} w="60%" />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Skeleton h={320} radius="md" />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Skeleton h={320} radius="md" />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function SideCard({ title, children, testId, action }: { title: string; children: ReactNode; testId?: string; action?: ReactNode }) {
  return (
    <Card withBorder padding="sm" className={classes.sideCard} data-testid={testId}>
      <Group justify="space-between" mb={8} gap="xs">
        <Text className={classes.sideLabel} component="h2">
          {title}
        </Text>
        {action}
      </Group>
      {children}
    </Card>
  );
}

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start" py={3}>
      <Text fz="xs" c="dimmed" w={120} style={{ flexShrink: 0 }} pt={2}>
        {label}
      </Text>
      <Box fz="sm" miw={0} style={{ flex: 1 }} data-testid={testId}>
        {children}
      </Box>
    </Group>
  );
}

function DetailsCard({ detail, staff, onChangeCriticality }: { detail: TicketDetail; staff: boolean; onChangeCriticality: () => void }) {
  const { t } = useTranslation();
  const format = useDateFormat();
  return (
    <SideCard title={t('requests.detail.details')} testId="request-details">
      <Stack gap={0}>
        <Field label={t('requests.list.status')}>
          <StatusBadge status={detail.status} label={detail.statusLabel} />
        </Field>
        <Field label={t('requests.list.criticality')}>
          <Group gap={6}>
            <CriticalityBadge criticality={detail.criticality} />
            {staff && detail.permissions.changeCriticality && (
              <Anchor component="button" type="button" fz="xs" onClick={onChangeCriticality} data-testid="criticality-change">
                {t('requests.agent.changeCriticality')}
              </Anchor>
            )}
          </Group>
        </Field>
        <Field label={t('requests.detail.desk')} testId="detail-desk">
          {detail.desk.name}
        </Field>
        <Field label={t('requests.detail.type')} testId="detail-type">
          {detail.requestType.name}
        </Field>
        {detail.project && (
          <Field label={t('requests.detail.project')} testId="detail-project">
            {detail.project.name}
          </Field>
        )}
        {staff && <Field label={t('requests.detail.organization')}>{detail.organization.name}</Field>}
        <Field label={t('requests.detail.reporter')} testId="detail-reporter">
          {detail.reporter.name}
        </Field>
        {detail.createdBy.id !== detail.reporter.id && <Field label={t('requests.detail.openedBy')}>{detail.createdBy.name}</Field>}
        {!staff && (
          <Field label={t('requests.detail.assignee')} testId="detail-assignee">
            {detail.assignee?.name ?? (
              <Text span c="dimmed" fz="sm">
                {t('requests.detail.unassigned')}
              </Text>
            )}
          </Field>
        )}
        <Field label={t('requests.detail.created')}>{format.dateTime(detail.createdAt)}</Field>
        <Field label={t('requests.detail.updated')}>{format.dateTime(detail.updatedAt)}</Field>
        {detail.qualifiedAt && <Field label={t('requests.detail.qualifiedAt')}>{format.dateTime(detail.qualifiedAt)}</Field>}
        {detail.resolvedAt && <Field label={t('requests.detail.resolvedAt')}>{format.dateTime(detail.resolvedAt)}</Field>}
        {detail.closedAt && <Field label={t('requests.detail.closedAt')}>{format.dateTime(detail.closedAt)}</Field>}
      </Stack>
    </SideCard>
  );
}

function AgentCard({ detail, onMove }: { detail: TicketDetail; onMove: () => void }) {
  const { t } = useTranslation();
  return (
    <SideCard title={t('requests.agent.title')} testId="agent-panel">
      <Stack gap="sm">
        <AssigneeSelect detail={detail} />
        {detail.permissions.move && (
          <Button variant="default" size="xs" onClick={onMove} data-testid="action-move">
            {t('requests.agent.move')}
          </Button>
        )}
      </Stack>
    </SideCard>
  );
}

function ParticipantsCard({ detail, staff }: { detail: TicketDetail; staff: boolean }) {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const members = useMembers({ organizationId: staff ? detail.organization.id : undefined, enabled: detail.permissions.addParticipant });
  const action = useTicketAction();
  const [chosen, setChosen] = useState<string[]>([]);
  const taken = new Set([detail.reporter.id, ...detail.participants.map((p) => p.id)]);
  const candidates = (members.data?.items ?? []).filter((m) => !taken.has(m.id));
  const canRemove = (userId: string) => detail.permissions.removeParticipants || (me?.id === userId && detail.permissions.leave);

  const add = async () => {
    let last: TicketDetail | null = null;
    for (const userId of chosen) {
      last = await action.run('add', () => requestsApi.addParticipant(detail.key, userId));
      if (!last) break;
    }
    if (last) {
      setChosen([]);
    }
  };

  return (
    <SideCard title={t('requests.detail.participants')} testId="participants">
      <Stack gap={6}>
        <Group gap={8} wrap="nowrap">
          <Avatar size={22} radius="xl" color="gray">
            {initials(detail.reporter.name)}
          </Avatar>
          <Text fz="sm" truncate style={{ flex: 1 }}>
            {detail.reporter.name}
          </Text>
          <Text fz={11} c="dimmed">
            {t('requests.detail.reporterBadge')}
          </Text>
        </Group>
        {detail.participants.map((participant) => (
          <Group key={participant.id} gap={8} wrap="nowrap" data-testid="participant" data-name={participant.name}>
            <Avatar size={22} radius="xl" color="gray">
              {initials(participant.name)}
            </Avatar>
            <Tooltip label={participant.email} withArrow openDelay={300}>
              <Text fz="sm" truncate style={{ flex: 1 }}>
                {participant.name}
              </Text>
            </Tooltip>
            {canRemove(participant.id) && (
              <Tooltip
                label={participant.id === me?.id ? t('requests.participants.leave') : t('requests.participants.remove', { name: participant.name })}
                withArrow
              >
                <ActionIcon
                  size="sm"
                  variant="subtle"
                  color="gray"
                  aria-label={participant.id === me?.id ? t('requests.participants.leave') : t('requests.participants.remove', { name: participant.name })}
                  loading={action.pending === `remove-${participant.id}`}
                  onClick={() =>
                    void action.run(
                      `remove-${participant.id}`,
                      () => requestsApi.removeParticipant(detail.key, participant.id),
                      () => i18n.t('requests.participants.removed', { name: participant.name }),
                    )
                  }
                  data-testid="participant-remove"
                >
                  <svg width="12" height="12" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" aria-hidden focusable="false">
                    <path d="M6 6l12 12M18 6 6 18" />
                  </svg>
                </ActionIcon>
              </Tooltip>
            )}
          </Group>
        ))}
        {detail.participants.length === 0 && (
          <Text fz="xs" c="dimmed">
            {t('requests.detail.noParticipants')}
          </Text>
        )}
        {detail.permissions.addParticipant && candidates.length > 0 && (
          <Group gap={6} align="flex-end" wrap="nowrap" mt={4}>
            <MultiSelect
              size="xs"
              aria-label={t('requests.participants.addLabel')}
              placeholder={chosen.length ? undefined : t('requests.participants.addPlaceholder')}
              data={candidates.map((m) => ({ value: m.id, label: m.name }))}
              value={chosen}
              onChange={setChosen}
              searchable
              hidePickedOptions
              style={{ flex: 1 }}
              comboboxProps={{ withinPortal: true }}
              data-testid="participants-add-select"
            />
            <Button
              size="xs"
              variant="light"
              disabled={chosen.length === 0}
              loading={action.pending === 'add'}
              onClick={() => void add()}
              data-testid="participants-add"
            >
              {t('requests.participants.add')}
            </Button>
          </Group>
        )}
      </Stack>
    </SideCard>
  );
}

function AttachmentsCard({ detail, staff }: { detail: TicketDetail; staff: boolean }) {
  const { t } = useTranslation();
  const format = useDateFormat();
  const formatSize = useFileSize();
  if (detail.attachments.length === 0) return null;
  return (
    <SideCard title={`${t('requests.detail.attachments')} (${detail.attachments.length})`} testId="attachments-card">
      <Stack gap={6}>
        {detail.attachments.map((file) => (
          <Group key={file.id} gap={8} wrap="nowrap" align="flex-start" data-testid="attachment" data-name={file.fileName}>
            <Box c="dimmed" pt={2}>
              <FileIcon />
            </Box>
            <Box miw={0} style={{ flex: 1 }}>
              <Anchor href={attachmentUrl(detail.key, file.id)} target="_blank" rel="noopener" fz="sm" display="block" truncate>
                {file.fileName}
              </Anchor>
              <Text fz={11} c="dimmed">
                {formatSize(file.size)} · {format.dateTime(file.createdAt)}
                {staff && file.internal && (
                  <Text span fz={11} c="yellow" fw={600}>
                    {' '}
                    · {t('requests.attachments.internal')}
                  </Text>
                )}
              </Text>
            </Box>
          </Group>
        ))}
      </Stack>
    </SideCard>
  );
}

function ConfirmModal({
  opened,
  onClose,
  title,
  text,
  confirmLabel,
  color,
  onConfirm,
  loading,
  testId,
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  text: string;
  confirmLabel: string;
  color?: string;
  onConfirm: () => void;
  loading: boolean;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="md">
      <Stack gap="md" data-testid={testId}>
        <Text fz="sm">{text}</Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('requests.actions.keep')}
          </Button>
          <Button color={color} onClick={onConfirm} loading={loading} data-testid={`${testId}-confirm`}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** What the page says above everything else: a lowered criticality and why; what the customer is expected to do. */
function Notices({ detail, staff, onConfirm }: { detail: TicketDetail; staff: boolean; onConfirm: () => void }) {
  const { t } = useTranslation();
  const format = useDateFormat();
  const labels = useTicketLabels(staff ? 'staff' : 'customer');
  const lowering = lastLowering(detail);
  const canConfirm = detail.permissions.transitions.includes('closed');
  return (
    <>
      {lowering && (
        <Alert
          color="orange"
          variant="light"
          title={t('requests.detail.criticalityLoweredTitle', {
            from: labels.criticality(lowering.from as never),
            to: labels.criticality(lowering.to as never),
          })}
          data-testid="criticality-lowered"
        >
          {lowering.reason && (
            <Text fz="sm" fw={500} data-testid="criticality-lowered-reason">
              {t('requests.detail.reason', { reason: lowering.reason })}
            </Text>
          )}
          <Text fz="xs" c="dimmed" mt={4}>
            {t('requests.detail.criticalityLoweredBy', { name: lowering.actor?.name ?? t('requests.history.system'), date: format.dateTime(lowering.at) })}
          </Text>
        </Alert>
      )}
      {!staff && detail.status === 'resolved' && (
        <Alert color="teal" variant="light" title={t('requests.detail.resolvedTitle')} data-testid="notice-resolved">
          <Group justify="space-between" gap="sm">
            <Text fz="sm">{t('requests.detail.resolvedText')}</Text>
            {canConfirm && (
              <Button color="teal" size="xs" onClick={onConfirm}>
                {t('requests.actions.confirm')}
              </Button>
            )}
          </Group>
        </Alert>
      )}
      {!staff && detail.status === 'waiting_customer' && (
        <Alert color="orange" variant="light" title={t('requests.detail.waitingTitle')} data-testid="notice-waiting">
          <Text fz="sm">{t('requests.detail.waitingText')}</Text>
        </Alert>
      )}
    </>
  );
}

function RequestView({ detail }: { detail: TicketDetail }) {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const staff = me?.role === 'agent' || me?.role === 'admin';
  usePageTitle(`${detail.key} · ${detail.summary}`);
  useMarkTicketNotificationsRead(detail.id);
  const action = useTicketAction();
  const [modal, setModal] = useState<'qualify' | 'criticality' | 'move' | 'cancel' | 'confirm' | null>(null);
  const close = () => setModal(null);
  const transitions = detail.permissions.transitions;
  const final = isFinal(detail.status);

  const transition = async (to: Status) => {
    const updated = await action.run(
      `status-${to}`,
      () => requestsApi.transition(detail.key, { to }),
      (u) => i18n.t('requests.actions.statusChanged', { status: u.statusLabel }),
    );
    if (updated) close();
  };

  return (
    <Stack gap="md" data-testid="page-request" data-key={detail.key} data-status={detail.status}>
      <Group justify="space-between" align="flex-start" gap="md" wrap="wrap">
        <Box miw={0} style={{ flex: '1 1 320px' }}>
          <Breadcrumbs separator="›" fz="sm">
            <Anchor component={Link} to={staff ? '/' : '/requests'} fz="sm">
              {staff ? t('nav.home') : t('requests.nav.myRequests')}
            </Anchor>
            <Text fz="sm" c="dimmed">
              {detail.desk.name} · {detail.requestType.name}
            </Text>
          </Breadcrumbs>
          <Group gap="xs" mt={6} wrap="nowrap" align="baseline">
            <Text className={classes.keyLink} c="dimmed" fz="md" data-testid="request-key">
              {detail.key}
            </Text>
            <Title order={1} fz={22} lh={1.25} data-testid="request-summary-title" style={{ overflowWrap: 'anywhere' }}>
              {detail.summary}
            </Title>
          </Group>
          <Group gap={6} mt={8}>
            <StatusBadge status={detail.status} label={detail.statusLabel} size="lg" data-testid="request-status" />
            <CriticalityBadge criticality={detail.criticality} size="lg" data-testid="request-criticality" />
          </Group>
        </Box>
        <Group gap="xs">
          {staff && detail.permissions.qualify && (
            <Button onClick={() => setModal('qualify')} data-testid="action-qualify">
              {t('requests.agent.qualify')}
            </Button>
          )}
          {staff && <StatusMenu detail={detail} onCancel={() => setModal('cancel')} />}
          {!staff && transitions.includes('closed') && (
            <Button color="teal" onClick={() => setModal('confirm')} data-testid="action-confirm">
              {t('requests.actions.confirm')}
            </Button>
          )}
          {!staff && transitions.includes('canceled') && (
            <Button variant="default" color="red" c="red" onClick={() => setModal('cancel')} data-testid="action-cancel">
              {t('requests.actions.cancel')}
            </Button>
          )}
        </Group>
      </Group>

      <Notices detail={detail} staff={staff} onConfirm={() => setModal('confirm')} />
      <RequestLifecycle detail={detail} staff={staff} />

      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <Card withBorder padding="md" data-testid="request-description-card">
              <Text className={classes.sideLabel} component="h2" mb={8}>
                {t('requests.detail.description')}
              </Text>
              <Markdown source={detail.description} />
              <AttachmentChips detail={detail} messageId={null} />
            </Card>
            <Box>
              <Text className={classes.sideLabel} component="h2" mb={8}>
                {t('requests.detail.activity')}
              </Text>
              <RequestActivity detail={detail} staff={staff} viewerId={me?.id} />
            </Box>
            {detail.permissions.reply ? (
              <ReplyBox key={detail.key} detail={detail} />
            ) : (
              final && (
                <Alert color="gray" variant="light" data-testid="notice-final">
                  {t('requests.detail.finalText')}
                </Alert>
              )
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            {detail.sla && (staff ? <AgentSla sla={detail.sla} /> : <CustomerSla sla={detail.sla} />)}
            <DetailsCard detail={detail} staff={staff} onChangeCriticality={() => setModal('criticality')} />
            {staff && !final && <AgentCard detail={detail} onMove={() => setModal('move')} />}
            {staff && <TimeLogPanel ticketKey={detail.key} />}
            <ParticipantsCard detail={detail} staff={staff} />
            <AttachmentsCard detail={detail} staff={staff} />
          </Stack>
        </Grid.Col>
      </Grid>

      {staff && <QualifyModal detail={detail} opened={modal === 'qualify'} onClose={close} />}
      {staff && <CriticalityModal detail={detail} opened={modal === 'criticality'} onClose={close} />}
      {staff && <MoveModal detail={detail} opened={modal === 'move'} onClose={close} />}
      <ConfirmModal
        opened={modal === 'cancel'}
        onClose={close}
        title={t('requests.actions.cancelTitle', { key: detail.key })}
        text={t('requests.actions.cancelText')}
        confirmLabel={t('requests.actions.cancelConfirm')}
        color="red"
        loading={action.pending === 'status-canceled'}
        onConfirm={() => void transition('canceled')}
        testId="cancel-dialog"
      />
      <ConfirmModal
        opened={modal === 'confirm'}
        onClose={close}
        title={t('requests.actions.confirmTitle', { key: detail.key })}
        text={t('requests.actions.confirmText')}
        confirmLabel={t('requests.actions.confirmButton')}
        color="teal"
        loading={action.pending === 'status-closed'}
        onConfirm={() => void transition('closed')}
        testId="confirm-dialog"
      />
    </Stack>
  );
}

/** /requests/:key, for customers and Customer Services alike; each sees what they may and can do what they may. */
export function RequestPage() {
  const { key = '' } = useParams();
  const normalized = key.trim().toUpperCase();
  const query = useTicket(normalized);
  if (query.isPending) return <PageSkeleton />;
  if (query.isError) {
    if (query.error instanceof ApiError && (query.error.status === 404 || query.error.status === 400)) return <NotFound />;
    return <LoadFailedPage message={errorMessage(query.error)} onRetry={() => void query.refetch()} />;
  }
  return <RequestView detail={query.data} />;
}
