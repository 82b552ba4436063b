import type { ReactNode } from 'react';
import { Badge, Group, Radio, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CRITICALITIES, type Criticality } from '#shared/tickets.ts';
import { CriticalityDot, CRITICALITY_COLORS, useTicketLabels } from './labels.tsx';
import classes from './requests.module.css';

/** The four levels as radio cards, each with its definition beside it (from #shared/tickets.ts). */
export function CriticalityPicker({
  value,
  onChange,
  label,
  description,
  error,
  required,
  columns = 2,
  current,
  testId = 'criticality',
}: {
  value: Criticality | null;
  onChange: (value: Criticality) => void;
  label: string;
  description?: ReactNode;
  error?: ReactNode;
  required?: boolean;
  columns?: 1 | 2 | 4;
  /** The request's level now: marked on its card. */
  current?: Criticality;
  testId?: string;
}) {
  const { t } = useTranslation();
  const labels = useTicketLabels('customer');
  return (
    <Radio.Group<Criticality>
      value={value}
      onChange={onChange}
      label={label}
      description={description}
      error={error}
      required={required}
      withAsterisk={required}
      data-testid={testId}
    >
      <SimpleGrid cols={{ base: 1, sm: columns }} spacing="xs" mt={6}>
        {CRITICALITIES.map((level) => (
          <Radio.Card key={level} value={level} className={classes.criticalityCard} data-level={level} data-testid={`${testId}-${level}`} radius="md">
            <Group wrap="nowrap" align="flex-start" gap="sm">
              <Radio.Indicator mt={2} />
              <Stack gap={2}>
                <Group gap={6} wrap="nowrap">
                  <Text c={CRITICALITY_COLORS[level] === 'gray' ? 'dimmed' : `${CRITICALITY_COLORS[level]}.8`} component="span" lh={1}>
                    <CriticalityDot criticality={level} />
                  </Text>
                  <Text fw={600} fz="sm">
                    {labels.criticality(level)}
                  </Text>
                  {current === level && (
                    <Badge size="xs" variant="default" radius="sm" tt="none" fw={500}>
                      {t('requests.criticality.current')}
                    </Badge>
                  )}
                </Group>
                <Text fz="xs" c="dimmed" lh={1.35}>
                  {labels.definition(level)}
                </Text>
              </Stack>
            </Group>
          </Radio.Card>
        ))}
      </SimpleGrid>
    </Radio.Group>
  );
}
