import { Badge, type BadgeProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Language } from '#shared/domain.ts';
import {
  AGENT_STATUS_LABELS,
  CRITICALITY_DEFINITIONS,
  CRITICALITY_LABELS,
  CUSTOMER_STATUS_LABELS,
  isFinal,
  type Criticality,
  type Status,
} from '#shared/tickets.ts';
import { isLanguage } from '../../i18n/index.ts';

/** The interface language, as a Language (the shared labels are keyed by it). */
export function useLanguage(): Language {
  const { i18n } = useTranslation();
  return isLanguage(i18n.language) ? i18n.language : 'fr';
}

/** Status and criticality words from #shared/tickets.ts, in the interface language, for customers or agents. */
export function useTicketLabels(audience: 'customer' | 'staff') {
  const language = useLanguage();
  const statuses = audience === 'customer' ? CUSTOMER_STATUS_LABELS : AGENT_STATUS_LABELS;
  return {
    language,
    status: (status: Status) => statuses[status][language],
    criticality: (criticality: Criticality) => CRITICALITY_LABELS[criticality][language],
    definition: (criticality: Criticality) => CRITICALITY_DEFINITIONS[criticality][language],
  };
}

export const STATUS_COLORS: Record<Status, string> = {
  open: 'blue',
  qualified: 'cyan',
  in_progress: 'indigo',
  waiting_customer: 'orange',
  waiting_third_party: 'grape',
  resolved: 'teal',
  closed: 'gray',
  canceled: 'gray',
};

export const CRITICALITY_COLORS: Record<Criticality, string> = {
  critical: 'red',
  high: 'orange',
  medium: 'yellow',
  low: 'gray',
};

/** The status as the server worded it for this viewer (`statusLabel`). */
export function StatusBadge({ status, label, ...props }: { status: Status; label: string } & BadgeProps) {
  const variant = isFinal(status) ? 'outline' : 'light';
  return (
    <Badge color={STATUS_COLORS[status]} variant={variant} radius="sm" tt="none" data-status={status} {...props}>
      {label}
    </Badge>
  );
}

export function CriticalityBadge({ criticality, ...props }: { criticality: Criticality } & BadgeProps) {
  const language = useLanguage();
  return (
    <Badge
      // White on Mantine's red 7 reads at 3.8:1; on red 9 at 5.5:1.
      color={criticality === 'critical' ? 'red.9' : CRITICALITY_COLORS[criticality]}
      variant={criticality === 'critical' ? 'filled' : 'light'}
      radius="sm"
      tt="none"
      leftSection={<CriticalityDot criticality={criticality} />}
      data-criticality={criticality}
      {...props}
    >
      {CRITICALITY_LABELS[criticality][language]}
    </Badge>
  );
}

const BARS: Record<Criticality, number> = { low: 1, medium: 2, high: 3, critical: 4 };

/** Four small bars, as many filled as the level: readable without colour. */
export function CriticalityDot({ criticality }: { criticality: Criticality }) {
  const filled = BARS[criticality];
  return (
    <svg width="12" height="10" viewBox="0 0 12 10" aria-hidden focusable="false" style={{ display: 'block' }}>
      {[0, 1, 2, 3].map((i) => (
        <rect key={i} x={i * 3} y={8 - i * 2} width="2" height={2 + i * 2} rx="0.5" fill="currentColor" opacity={i < filled ? 1 : 0.3} />
      ))}
    </svg>
  );
}
