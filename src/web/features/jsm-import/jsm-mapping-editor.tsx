import { useMemo, useState, type ReactNode } from 'react';
import { Alert, Badge, Button, Group, List, Paper, Select, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AGENT_STATUS_LABELS, CRITICALITIES, CRITICALITY_LABELS, STATUSES } from '#shared/tickets.ts';
import { CLOCK_KINDS } from '#shared/sla-api.ts';
import type { JSM_UNMAPPED_KINDS } from '#shared/jsm-import-api.ts';
import { ListTable } from '../../components/list-table.tsx';
import { localized, useDesks, useRequestTypes } from '../admin/catalog-api.ts';
import { useLanguage } from '../requests/labels.tsx';
import type { JsmImport, JsmMapping } from './jsm-import-api.ts';

type UnmappedKind = (typeof JSM_UNMAPPED_KINDS)[number];
type Option = { value: string; label: string };

const key = (kind: UnmappedKind, id: string) => `${kind}:${id}`;

/** The file an administrator keeps, or gives to `npm run import:jsm --mapping`. */
function downloadMapping(mapping: JsmMapping, site: string) {
  const host = site.replace(/^https?:\/\//, '').replace(/[^a-z0-9.-]+/gi, '-');
  const url = URL.createObjectURL(new Blob([`${JSON.stringify(mapping, null, 2)}\n`], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `jsm-mapping-${host}.json`;
  link.click();
  URL.revokeObjectURL(url);
}

/** A value the server does not know (a desk deleted since) stays visible, named as unknown. */
function withCurrent(options: Option[], value: string | null, unknownLabel: (value: string) => string): Option[] {
  return value === null || options.some((o) => o.value === value) ? options : [...options, { value, label: unknownLabel(value) }];
}

function Section({ title, testId, count, children }: { title: string; testId: string; count: number; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" data-testid={testId}>
      <Title order={2} fz={18} mb="sm">
        {title}
      </Title>
      {count === 0 ? (
        <Text fz="sm" c="dimmed">
          {t('jsmImport.mapping.none')}
        </Text>
      ) : (
        children
      )}
    </Paper>
  );
}

function MappingRow({
  flagged,
  source,
  detail,
  label,
  data,
  value,
  onChange,
  disabled,
  placeholder,
  testId,
}: {
  flagged: boolean;
  source: string;
  detail?: string;
  label: string;
  data: Option[];
  value: string | null;
  onChange: (value: string | null) => void;
  disabled: boolean;
  placeholder?: string;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Table.Tr data-testid={testId} data-unmapped={flagged || undefined} bg={flagged ? 'var(--mantine-color-red-light)' : undefined}>
      <Table.Td>
        <Group gap={6} wrap="wrap">
          <Text fz="sm" fw={500}>
            {source}
          </Text>
          {flagged && (
            <Badge color="red" variant="light" size="sm">
              {t('jsmImport.mapping.toMap')}
            </Badge>
          )}
        </Group>
        {detail && (
          <Text fz="xs" c="dimmed">
            {detail}
          </Text>
        )}
      </Table.Td>
      <Table.Td w="45%">
        <Select
          aria-label={label}
          data={data}
          value={value}
          onChange={onChange}
          disabled={disabled}
          placeholder={placeholder ?? t('jsmImport.mapping.choose')}
          searchable
          clearable
          comboboxProps={{ withinPortal: true }}
          data-testid={`${testId}-select`}
        />
      </Table.Td>
    </Table.Tr>
  );
}

function MappingHead({ source, target }: { source: string; target: string }) {
  return (
    <Table.Thead>
      <Table.Tr>
        <Table.Th>{source}</Table.Th>
        <Table.Th>{target}</Table.Th>
      </Table.Tr>
    </Table.Thead>
  );
}

/**
 * The mapping of one import, section by section, edited here and saved with "Save the mapping".
 * A row is flagged while it has no target, or while the saved mapping names a target Guichet does
 * not have and the administrator has not changed it yet. The import starts only from a saved
 * mapping with nothing left unmapped.
 */
export function JsmMappingEditor({
  item,
  locked,
  saving,
  starting,
  onSave,
  onStart,
}: {
  item: JsmImport;
  /** The worker has the import: nothing can be changed or started. */
  locked: boolean;
  saving: boolean;
  starting: boolean;
  onSave: (mapping: JsmMapping) => void;
  onStart: (dryRun: boolean) => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const desks = useDesks();
  const requestTypes = useRequestTypes();
  const [draft, setDraft] = useState<JsmMapping>(item.mapping);
  const saved = JSON.stringify(item.mapping);
  const dirty = JSON.stringify(draft) !== saved;

  const serverUnmapped = useMemo(() => new Set(item.unmapped.map((u) => key(u.kind, u.id))), [item.unmapped]);
  const unknownLabel = (value: string) => t('jsmImport.mapping.unknownTarget', { value });

  const deskOptions: Option[] = (desks.data ?? [])
    .filter((d) => d.active)
    .map((d) => ({ value: d.slug, label: `${localized(d.names, language)} (${d.slug})` }));
  const typeOptionsOf = (deskSlug: string | null): Option[] => {
    const desk = deskSlug ? desks.data?.find((d) => d.slug === deskSlug) : undefined;
    if (!desk) return [];
    return (requestTypes.data ?? [])
      .filter((rt) => rt.deskId === desk.id && rt.active)
      .map((rt) => ({ value: rt.slug, label: `${localized(rt.names, language)} (${rt.slug})` }));
  };
  const criticalityOptions: Option[] = CRITICALITIES.map((c) => ({ value: c, label: CRITICALITY_LABELS[c][language] }));
  const statusOptions: Option[] = STATUSES.map((s) => ({ value: s, label: AGENT_STATUS_LABELS[s][language] }));
  const clockOptions: Option[] = [...CLOCK_KINDS, 'ignore' as const].map((c) => ({ value: c, label: t(`jsmImport.clocks.${c}`) }));

  /** Flagged: no target, or the target the server refused is still the one chosen. */
  const flagged = (kind: UnmappedKind, id: string, value: string | null, savedValue: string | null | undefined) =>
    value === null || (serverUnmapped.has(key(kind, id)) && value === savedValue);

  const setDesk = (id: string, desk: string | null) =>
    setDraft((m) => {
      const types = typeOptionsOf(desk).map((o) => o.value);
      return {
        ...m,
        serviceDesks: m.serviceDesks.map((s) => (s.id === id ? { ...s, desk } : s)),
        // A request type keeps its target only if the newly chosen desk has it.
        requestTypes: m.requestTypes.map((rt) =>
          rt.serviceDeskId === id && rt.requestType !== null && !types.includes(rt.requestType) ? { ...rt, requestType: null } : rt,
        ),
      };
    });

  const blocked = dirty ? t('jsmImport.mapping.unsaved') : item.unmapped.length > 0 ? t('jsmImport.mapping.blocked', { count: item.unmapped.length }) : null;
  const canStart = !locked && blocked === null;
  const rerun = item.status === 'completed';

  return (
    <Stack gap="md" data-testid="jsm-mapping">
      {item.unmapped.length > 0 && (
        <Alert color="orange" variant="light" title={t('jsmImport.mapping.unmappedTitle', { count: item.unmapped.length })} data-testid="jsm-unmapped">
          <Text fz="sm" mb="xs">
            {t('jsmImport.mapping.unmappedText')}
          </Text>
          <List size="sm" spacing={2}>
            {item.unmapped.map((u) => (
              <List.Item key={key(u.kind, u.id)} data-testid="jsm-unmapped-item" style={{ overflowWrap: 'anywhere' }}>
                {t('jsmImport.mapping.unmappedItem', {
                  kind: t(`jsmImport.unmappedKinds.${u.kind}`),
                  name: u.name,
                  reason: t(`jsmImport.unmappedReasons.${u.reason}`),
                })}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}

      <Section title={t('jsmImport.mapping.serviceDesks')} testId="jsm-map-service-desks" count={draft.serviceDesks.length}>
        <ListTable verticalSpacing="xs">
          <MappingHead source={t('jsmImport.mapping.jsmServiceDesk')} target={t('jsmImport.mapping.guichetDesk')} />
          <Table.Tbody>
            {draft.serviceDesks.map((s) => (
              <MappingRow
                key={s.id}
                testId={`jsm-map-service-desk-${s.id}`}
                flagged={flagged('service_desk', s.id, s.desk, item.mapping.serviceDesks.find((x) => x.id === s.id)?.desk)}
                source={s.name}
                detail={s.projectKey}
                label={t('jsmImport.mapping.deskFor', { name: s.name })}
                data={withCurrent(deskOptions, s.desk, unknownLabel)}
                value={s.desk}
                onChange={(value) => setDesk(s.id, value)}
                disabled={locked}
              />
            ))}
          </Table.Tbody>
        </ListTable>
      </Section>

      <Section title={t('jsmImport.mapping.requestTypes')} testId="jsm-map-request-types" count={draft.requestTypes.length}>
        <ListTable verticalSpacing="xs">
          <MappingHead source={t('jsmImport.mapping.jsmRequestType')} target={t('jsmImport.mapping.guichetRequestType')} />
          <Table.Tbody>
            {draft.requestTypes.map((rt) => {
              const serviceDesk = draft.serviceDesks.find((s) => s.id === rt.serviceDeskId);
              const deskSlug = serviceDesk?.desk ?? null;
              return (
                <MappingRow
                  key={`${rt.serviceDeskId}:${rt.id}`}
                  testId={`jsm-map-request-type-${rt.id}`}
                  flagged={flagged('request_type', rt.id, rt.requestType, item.mapping.requestTypes.find((x) => x.id === rt.id)?.requestType)}
                  source={rt.name}
                  detail={serviceDesk?.name}
                  label={t('jsmImport.mapping.requestTypeFor', { name: rt.name })}
                  data={withCurrent(typeOptionsOf(deskSlug), rt.requestType, unknownLabel)}
                  value={rt.requestType}
                  onChange={(value) => setDraft((m) => ({ ...m, requestTypes: m.requestTypes.map((x) => (x === rt ? { ...x, requestType: value } : x)) }))}
                  disabled={locked || deskSlug === null}
                  placeholder={deskSlug === null ? t('jsmImport.mapping.deskFirst') : undefined}
                />
              );
            })}
          </Table.Tbody>
        </ListTable>
      </Section>

      <Section title={t('jsmImport.mapping.priorities')} testId="jsm-map-priorities" count={draft.priorities.length}>
        <ListTable verticalSpacing="xs">
          <MappingHead source={t('jsmImport.mapping.jsmPriority')} target={t('jsmImport.mapping.criticality')} />
          <Table.Tbody>
            {draft.priorities.map((p) => (
              <MappingRow
                key={p.name}
                testId={`jsm-map-priority-${p.name}`}
                flagged={flagged('priority', p.name, p.criticality, item.mapping.priorities.find((x) => x.name === p.name)?.criticality)}
                source={p.name}
                label={t('jsmImport.mapping.criticalityFor', { name: p.name })}
                data={criticalityOptions}
                value={p.criticality}
                onChange={(value) =>
                  setDraft((m) => ({
                    ...m,
                    priorities: m.priorities.map((x) => (x === p ? { ...x, criticality: value as (typeof CRITICALITIES)[number] | null } : x)),
                  }))
                }
                disabled={locked}
              />
            ))}
          </Table.Tbody>
        </ListTable>
      </Section>

      <Section title={t('jsmImport.mapping.statuses')} testId="jsm-map-statuses" count={draft.statuses.length}>
        <ListTable verticalSpacing="xs">
          <MappingHead source={t('jsmImport.mapping.jsmStatus')} target={t('jsmImport.mapping.guichetStatus')} />
          <Table.Tbody>
            {draft.statuses.map((s) => (
              <MappingRow
                key={s.name}
                testId={`jsm-map-status-${s.name}`}
                flagged={flagged('status', s.name, s.status, item.mapping.statuses.find((x) => x.name === s.name)?.status)}
                source={s.name}
                detail={s.category ? t('jsmImport.mapping.category', { category: s.category }) : undefined}
                label={t('jsmImport.mapping.statusFor', { name: s.name })}
                data={statusOptions}
                value={s.status}
                onChange={(value) =>
                  setDraft((m) => ({ ...m, statuses: m.statuses.map((x) => (x === s ? { ...x, status: value as (typeof STATUSES)[number] | null } : x)) }))
                }
                disabled={locked}
              />
            ))}
          </Table.Tbody>
        </ListTable>
      </Section>

      <Section title={t('jsmImport.mapping.slas')} testId="jsm-map-slas" count={draft.slas.length}>
        <ListTable verticalSpacing="xs">
          <MappingHead source={t('jsmImport.mapping.jsmSla')} target={t('jsmImport.mapping.clock')} />
          <Table.Tbody>
            {draft.slas.map((s) => (
              <MappingRow
                key={s.name}
                testId={`jsm-map-sla-${s.name}`}
                flagged={flagged('sla', s.name, s.clock, item.mapping.slas.find((x) => x.name === s.name)?.clock)}
                source={s.name}
                label={t('jsmImport.mapping.clockFor', { name: s.name })}
                data={clockOptions}
                value={s.clock}
                onChange={(value) =>
                  setDraft((m) => ({ ...m, slas: m.slas.map((x) => (x === s ? { ...x, clock: value as JsmMapping['slas'][number]['clock'] } : x)) }))
                }
                disabled={locked}
              />
            ))}
          </Table.Tbody>
        </ListTable>
      </Section>

      <Paper withBorder p="md">
        <Textarea
          label={t('jsmImport.mapping.jql')}
          description={t('jsmImport.mapping.jqlHint')}
          autosize
          minRows={2}
          maxLength={2000}
          value={draft.jql}
          onChange={(event) => {
            const jql = event.currentTarget.value;
            setDraft((m) => ({ ...m, jql }));
          }}
          disabled={locked}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          data-testid="jsm-map-jql"
        />
      </Paper>

      <Paper withBorder p="md">
        <Stack gap="sm">
          <Group gap="sm" wrap="wrap">
            <Button onClick={() => onSave(draft)} disabled={locked || !dirty} loading={saving} data-testid="jsm-mapping-save">
              {t('jsmImport.mapping.save')}
            </Button>
            <Button variant="default" onClick={() => downloadMapping(draft, item.site)} data-testid="jsm-mapping-download">
              {t('jsmImport.mapping.download')}
            </Button>
          </Group>
          <Group gap="sm" wrap="wrap">
            <Button variant="light" onClick={() => onStart(true)} disabled={!canStart} loading={starting} data-testid="jsm-import-dry-run">
              {t('jsmImport.dryRun')}
            </Button>
            <Button color="orange" onClick={() => onStart(false)} disabled={!canStart} loading={starting} data-testid="jsm-import-start">
              {rerun ? t('jsmImport.startAgain') : t('jsmImport.start')}
            </Button>
          </Group>
          {!locked && blocked && (
            <Text fz="sm" c="dimmed" data-testid="jsm-start-blocked">
              {blocked}
            </Text>
          )}
          {!locked && !blocked && (
            <Text fz="sm" c="dimmed">
              {rerun ? t('jsmImport.startAgainHint') : t('jsmImport.startHint')}
            </Text>
          )}
        </Stack>
      </Paper>
    </Stack>
  );
}
