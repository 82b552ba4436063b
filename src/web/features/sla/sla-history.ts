import type { TFunction } from 'i18next';

type Entry = { field: string; from: string | null; to: string | null };

const hours = (minutes: number) => String(Math.round((minutes / 60) * 100) / 100);

/**
 * The SLA entries of a request's internal history (agents only), as verb phrases after the actor
 * ("Guichet" for the sweep's notices). A re-target's values read "kind:targetMinutes"; its field names its cause.
 */
export function describeSlaEntry(t: TFunction, entry: Entry): { text: string; reason: null } {
  const clockOf = (value: string | null) => {
    const kind = value?.split(':')[0];
    return kind === 'engagement' || kind === 'resolution' ? t(`sla.request.clocks.${kind}`) : (kind ?? '—');
  };
  const targetOf = (value: string | null) => hours(Number(value?.split(':')[1] ?? 0));
  const clock = clockOf(entry.to);
  switch (entry.field) {
    case 'sla_warning':
      return { text: t('sla.history.warning', { clock }), reason: null };
    case 'sla_breach':
      return { text: t('sla.history.breach', { clock }), reason: null };
    case 'sla_level3':
      return { text: t('sla.history.level3', { clock }), reason: null };
    case 'sla_stopped':
      return { text: t('sla.history.stopped', { clock }), reason: null };
    default: {
      // A re-target says what caused it; rows from before the cause was kept (`sla_retarget`) say only what changed.
      const key =
        entry.field === 'sla_retarget_criticality'
          ? 'sla.history.retargetCriticality'
          : entry.field === 'sla_retarget_request_type'
            ? 'sla.history.retargetRequestType'
            : 'sla.history.retarget';
      return { text: t(key, { clock, from: targetOf(entry.from), to: targetOf(entry.to) }), reason: null };
    }
  }
}
