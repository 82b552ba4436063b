import { Alert, Anchor, Badge, Breadcrumbs, Card, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { FullPageLoader } from '../../components/full-page-loader.tsx';
import { errorMessage } from '../../lib/errors.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { useMe } from '../session/session.ts';
import { CriticalityGuide, DeskCard, Guidance } from './portal-home.tsx';
import { CustomerRequestList } from './request-list.tsx';
import { useCatalog } from './requests-api.ts';

/** One desk of the portal (the top bar's "Consulting requests" leads here): its request types and its requests. */
export function DeskPage() {
  const { t } = useTranslation();
  const { slug = '' } = useParams();
  const { data: me } = useMe();
  const customer = me?.role === 'customer';
  const catalog = useCatalog({ enabled: customer });
  const desk = catalog.data?.desks.find((d) => d.slug === slug);
  usePageTitle(desk?.name ?? null);

  if (!customer) {
    return (
      <Alert color="blue" variant="light" data-testid="desk-staff-only">
        {t('requests.create.staffOnly')}
      </Alert>
    );
  }
  if (catalog.isPending) return <FullPageLoader />;
  if (catalog.isError) {
    return (
      <Alert color="red" variant="light" role="alert">
        {errorMessage(catalog.error)}
      </Alert>
    );
  }
  if (!desk) {
    return (
      <Stack gap="sm" data-testid="page-desk-not-found">
        <Title order={1} fz={24}>
          {t('requests.desk.notFoundTitle')}
        </Title>
        <Text c="dimmed">{t('requests.desk.notFoundText')}</Text>
        <Anchor component={Link} to="/">
          {t('common.backHome')}
        </Anchor>
      </Stack>
    );
  }
  const needsProject = desk.requestTypes.some((type) => type.requiresProject);
  return (
    <Stack gap="lg" data-testid={`page-desk-${desk.slug}`}>
      <div>
        <Breadcrumbs separator="›" fz="sm">
          <Anchor component={Link} to="/" fz="sm">
            {t('nav.home')}
          </Anchor>
          <Text fz="sm" c="dimmed">
            {desk.name}
          </Text>
        </Breadcrumbs>
        <Title order={1} fz={26} mt={4}>
          {desk.name}
        </Title>
      </div>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <DeskCard desk={desk} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            {needsProject && (
              <Card withBorder padding="md" data-testid="desk-projects">
                <Title order={2} fz="md" mb={8}>
                  {t('requests.desk.projectsTitle')}
                </Title>
                {catalog.data.projects.length === 0 ? (
                  <Text fz="sm" c="dimmed">
                    {t('requests.desk.noProjects')}
                  </Text>
                ) : (
                  <Stack gap={6}>
                    {catalog.data.projects.map((project) => (
                      <Group key={project.id} gap="xs" wrap="nowrap">
                        {project.code && (
                          <Badge variant="light" color="gray" radius="sm" tt="none">
                            {project.code}
                          </Badge>
                        )}
                        <Anchor component={Link} to={`/projects/${project.id}`} fz="sm" data-testid="desk-project-link">
                          {project.name}
                        </Anchor>
                      </Group>
                    ))}
                  </Stack>
                )}
              </Card>
            )}
            <Guidance />
            {!needsProject && <CriticalityGuide />}
          </Stack>
        </Grid.Col>
      </Grid>
      <CustomerRequestList deskId={desk.id} title={t('requests.desk.requestsTitle')} />
    </Stack>
  );
}
