import { Navigate, Route, Routes } from 'react-router';
import { AdminLayout } from './admin-layout.tsx';
import { AuditPage } from './audit-page.tsx';
import { DesksPage } from './desks-page.tsx';
import { EscalationAdminPage } from './escalation-admin-page.tsx';
import { OrganizationsPage } from './organizations-page.tsx';
import { OutboxPage } from './outbox-page.tsx';
import { ProjectsPage } from './projects-page.tsx';
import { RequestTypesPage } from './request-types-page.tsx';
import { SlaCalendarPage } from './sla-calendar-page.tsx';
import { SlaPage } from './sla-page.tsx';
import { SlaReportPage } from './sla-report-page.tsx';
import { UsersPage } from './users-page.tsx';
import { LifecycleRulesPage } from '../lifecycle/lifecycle-rules-page.tsx';
import { SatisfactionPage } from '../survey/satisfaction-page.tsx';

/** The administration, loaded on demand: customers never download it. */
export default function AdminRoutes() {
  return (
    <Routes>
      <Route element={<AdminLayout />}>
        <Route index element={<Navigate to="organizations" replace />} />
        <Route path="organizations" element={<OrganizationsPage />} />
        <Route path="users" element={<UsersPage />} />
        <Route path="desks" element={<DesksPage />} />
        <Route path="request-types" element={<RequestTypesPage />} />
        <Route path="projects" element={<ProjectsPage />} />
        <Route path="sla" element={<SlaPage />} />
        <Route path="sla/calendar" element={<SlaCalendarPage />} />
        <Route path="sla/report" element={<SlaReportPage />} />
        <Route path="escalation" element={<EscalationAdminPage />} />
        <Route path="lifecycle" element={<LifecycleRulesPage />} />
        <Route path="satisfaction" element={<SatisfactionPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="outbox" element={<OutboxPage />} />
        <Route path="*" element={<Navigate to="organizations" replace />} />
      </Route>
    </Routes>
  );
}
