import { Navigate, Route, Routes } from 'react-router';
import { lazyPage, PageLoading } from '../../routes/lazy-page.tsx';
import { AdminLayout } from './admin-layout.tsx';

// Each page with its route: the SLA report and the satisfaction results bring the charts library.
const ApiTokensPage = lazyPage(
  () => import('./api-tokens-page.tsx'),
  (m) => m.ApiTokensPage,
);
const AuditPage = lazyPage(
  () => import('./audit-page.tsx'),
  (m) => m.AuditPage,
);
const DesksPage = lazyPage(
  () => import('./desks-page.tsx'),
  (m) => m.DesksPage,
);
const EscalationAdminPage = lazyPage(
  () => import('./escalation-admin-page.tsx'),
  (m) => m.EscalationAdminPage,
);
const InboundLogPage = lazyPage(
  () => import('../inbound/inbound-log-page.tsx'),
  (m) => m.InboundLogPage,
);
const OrganizationsPage = lazyPage(
  () => import('./organizations-page.tsx'),
  (m) => m.OrganizationsPage,
);
const OutboxPage = lazyPage(
  () => import('./outbox-page.tsx'),
  (m) => m.OutboxPage,
);
const ProjectsPage = lazyPage(
  () => import('./projects-page.tsx'),
  (m) => m.ProjectsPage,
);
const RequestTypesPage = lazyPage(
  () => import('./request-types-page.tsx'),
  (m) => m.RequestTypesPage,
);
const SlaCalendarPage = lazyPage(
  () => import('./sla-calendar-page.tsx'),
  (m) => m.SlaCalendarPage,
);
const SlaPage = lazyPage(
  () => import('./sla-page.tsx'),
  (m) => m.SlaPage,
);
const SlaReportPage = lazyPage(
  () => import('./sla-report-page.tsx'),
  (m) => m.SlaReportPage,
);
const SecuritySettingsPage = lazyPage(
  () => import('../two-factor/security-settings-page.tsx'),
  (m) => m.SecuritySettingsPage,
);
const UsersPage = lazyPage(
  () => import('./users-page.tsx'),
  (m) => m.UsersPage,
);
const LifecycleRulesPage = lazyPage(
  () => import('../lifecycle/lifecycle-rules-page.tsx'),
  (m) => m.LifecycleRulesPage,
);
const WebhooksPage = lazyPage(
  () => import('../webhooks/webhooks-page.tsx'),
  (m) => m.WebhooksPage,
);
const WebhookPage = lazyPage(
  () => import('../webhooks/webhook-page.tsx'),
  (m) => m.WebhookPage,
);
const JsmImportsPage = lazyPage(
  () => import('../jsm-import/jsm-imports-page.tsx'),
  (m) => m.JsmImportsPage,
);
const JsmImportPage = lazyPage(
  () => import('../jsm-import/jsm-import-page.tsx'),
  (m) => m.JsmImportPage,
);
const SatisfactionPage = lazyPage(
  () => import('../survey/satisfaction-page.tsx'),
  (m) => m.SatisfactionPage,
);

const SsoProvidersPage = lazyPage(
  () => import('../sso/sso-providers-page.tsx'),
  (m) => m.SsoProvidersPage,
);

/** The administration, loaded on demand: customers never download it. */
export default function AdminRoutes() {
  return (
    <Routes>
      <Route element={<AdminLayout />}>
        <Route element={<PageLoading />}>
          <Route index element={<Navigate to="organizations" replace />} />
          <Route path="organizations" element={<OrganizationsPage />} />
          <Route path="users" element={<UsersPage />} />
          <Route path="security" element={<SecuritySettingsPage />} />
          <Route path="desks" element={<DesksPage />} />
          <Route path="request-types" element={<RequestTypesPage />} />
          <Route path="projects" element={<ProjectsPage />} />
          <Route path="sla" element={<SlaPage />} />
          <Route path="sla/calendar" element={<SlaCalendarPage />} />
          <Route path="sla/report" element={<SlaReportPage />} />
          <Route path="escalation" element={<EscalationAdminPage />} />
          <Route path="lifecycle" element={<LifecycleRulesPage />} />
          <Route path="satisfaction" element={<SatisfactionPage />} />
          <Route path="api-tokens" element={<ApiTokensPage />} />
          <Route path="audit" element={<AuditPage />} />
          <Route path="outbox" element={<OutboxPage />} />
          <Route path="inbound" element={<InboundLogPage />} />
          <Route path="webhooks" element={<WebhooksPage />} />
          <Route path="webhooks/:id" element={<WebhookPage />} />
          <Route path="jsm-import" element={<JsmImportsPage />} />
          <Route path="jsm-import/:id" element={<JsmImportPage />} />
          <Route path="sso" element={<SsoProvidersPage />} />
          <Route path="*" element={<Navigate to="organizations" replace />} />
        </Route>
      </Route>
    </Routes>
  );
}
