import { Navigate, Outlet, Route, Routes } from 'react-router';
import { ForbiddenPage } from '../../components/status-page.tsx';
import { useMe } from '../session/session.ts';
import { TriagePage } from '../inbound/triage-page.tsx';
import { NewRequestPage } from './new-request-page.tsx';
import { WorkspacePage } from './workspace-page.tsx';

/** Agents and administrators only. */
function RequireStaff() {
  const { data: me } = useMe();
  if (me?.role !== 'agent' && me?.role !== 'admin') return <ForbiddenPage />;
  return <Outlet />;
}

/** The agent workspace, loaded on demand: customers never download it. */
export default function AgentRoutes() {
  return (
    <Routes>
      <Route element={<RequireStaff />}>
        <Route index element={<WorkspacePage />} />
        <Route path="new" element={<NewRequestPage />} />
        <Route path="triage" element={<TriagePage />} />
        <Route path="*" element={<Navigate to="/agent" replace />} />
      </Route>
    </Routes>
  );
}
