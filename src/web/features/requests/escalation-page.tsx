import { Anchor, Badge, Button, Group, Paper, SimpleGrid, Skeleton, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { errorMessage } from '../../lib/errors.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { useEscalation, type EscalationMatrix } from '../sla/sla-api.ts';
import { useLanguage } from './labels.tsx';
import classes from './escalation-page.module.css';

type Level = EscalationMatrix['levels'][number];

function LevelCard({ level }: { level: Level }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const sentence = level.whenToCall[language] || level.whenToCall.fr;
  return (
    <Paper withBorder p="md" data-testid={`escalation-level-${level.level}`} data-level={level.level}>
      <Stack gap="xs">
        <Group gap="xs">
          <Badge variant="light" color={level.level === 1 ? 'blue' : level.level === 2 ? 'orange' : 'red'} radius="sm">
            {t('sla.escalation.level', { level: level.level })}
          </Badge>
          <Text fw={600} fz="sm">
            {t(`sla.escalation.levelNames.${level.level}` as 'sla.escalation.levelNames.1')}
          </Text>
        </Group>
        {sentence && (
          <div>
            <Text fz="xs" c="dimmed" fw={600} tt="uppercase">
              {t('sla.escalation.whenToCall')}
            </Text>
            <Text fz="sm" data-testid="escalation-when">
              {sentence}
            </Text>
          </div>
        )}
        <Text fz="xs" c="dimmed" fw={600} tt="uppercase">
          {t('sla.escalation.contacts')}
        </Text>
        {level.contacts.length === 0 ? (
          <Text fz="sm" c="dimmed">
            {t('sla.escalation.noContact')}
          </Text>
        ) : (
          <Stack gap="sm">
            {level.contacts.map((contact, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: contacts are listed in the matrix's order and may share an address.
              <div key={`${contact.email}-${index}`} data-testid="escalation-contact" data-name={contact.name}>
                <Text fz="sm" fw={600}>
                  {contact.name}
                </Text>
                <Text fz="xs" c="dimmed">
                  {contact.role}
                </Text>
                {/* The name a screen reader gives the link starts with what it shows (WCAG 2.5.3), then says what it does. */}
                <Anchor href={`mailto:${contact.email}`} fz="sm" className={classes.contactLink} data-testid="escalation-email">
                  {contact.email}
                  <VisuallyHidden>, {t('sla.escalation.email', { name: contact.name })}</VisuallyHidden>
                </Anchor>
                <Anchor href={`tel:${contact.phone.replace(/[^+\d]/g, '')}`} fz="sm" className={classes.contactLink} data-testid="escalation-phone">
                  {contact.phone}
                  <VisuallyHidden>, {t('sla.escalation.phone', { name: contact.name })}</VisuallyHidden>
                </Anchor>
              </div>
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

/** The escalation matrix, per desk: levels 1–3, when to call each, and whom. */
export function EscalationPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  usePageTitle(t('sla.escalation.title'));
  const query = useEscalation();
  return (
    <Stack gap="lg" data-testid="page-escalation">
      <div>
        <Title order={1} fz={26}>
          {t('sla.escalation.title')}
        </Title>
        <Text c="dimmed" fz="sm" mt={2}>
          {t('sla.escalation.intro')}
        </Text>
      </div>
      {query.isError ? (
        <ErrorAlert message={errorMessage(query.error)}>
          <Button size="xs" variant="white" color="red" mt="xs" onClick={() => void query.refetch()}>
            {t('common.retry')}
          </Button>
        </ErrorAlert>
      ) : query.isPending ? (
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          <Skeleton h={200} />
          <Skeleton h={200} />
          <Skeleton h={200} />
        </SimpleGrid>
      ) : query.data.items.length === 0 ? (
        <Text c="dimmed">{t('sla.escalation.empty')}</Text>
      ) : (
        query.data.items.map((matrix) => (
          <Stack key={matrix.deskId} gap="sm" data-testid="escalation-desk" data-desk-id={matrix.deskId} component="section">
            <Title order={2} fz="lg">
              {matrix.deskNames[language] || matrix.deskNames.fr}
            </Title>
            <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
              {matrix.levels.map((level) => (
                <LevelCard key={level.level} level={level} />
              ))}
            </SimpleGrid>
          </Stack>
        ))
      )}
    </Stack>
  );
}
