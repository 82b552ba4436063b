import { Badge, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { InboundReason, InboundStatus } from './inbound-api.ts';
export { LabelledValue as Field } from '../../components/labelled-value.tsx';

const STATUS_COLORS: Record<InboundStatus, string> = {
  received: 'blue',
  processed: 'green',
  ignored: 'gray',
  refused: 'orange',
  triage: 'yellow',
  dismissed: 'gray',
  failed: 'red',
};

export function InboundStatusBadge({ status }: { status: InboundStatus }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={STATUS_COLORS[status]} data-testid="inbound-status" data-status={status}>
      {t(`inbound.statuses.${status}`)}
    </Badge>
  );
}

/** Why a message was ignored, refused, held or failed, in the reader's language. */
export function InboundReasonText({ reason, size = 'xs' }: { reason: InboundReason | null; size?: 'xs' | 'sm' }) {
  const { t } = useTranslation();
  if (!reason) return null;
  return (
    <Text fz={size} c="dimmed" data-testid="inbound-reason" data-reason={reason}>
      {t(`inbound.reasons.${reason}`)}
    </Text>
  );
}

/** The sender as a person reads it: "Name <address>", or the address alone. */
export const senderOf = (message: { from: string; fromName: string | null }) => (message.fromName ? `${message.fromName} <${message.from}>` : message.from);
