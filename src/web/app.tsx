import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { AppLayout } from './components/app-layout.tsx';
import { NotFoundPage } from './components/status-page.tsx';
import { GuestOnly, RequireAdmin, RequireAttached, RequireUser, RequireWaiting } from './routes/guards.tsx';
import { LoginPage } from './features/auth/login-page.tsx';
import { SignupPage } from './features/auth/signup-page.tsx';
import { VerifyEmailDonePage } from './features/auth/verify-email-done-page.tsx';
import { ForgotPasswordPage } from './features/auth/forgot-password-page.tsx';
import { ResetPasswordPage } from './features/auth/reset-password-page.tsx';
import { InvitationPage } from './features/invitations/invitation-page.tsx';
import { HomePage } from './features/home/home-page.tsx';
import { WaitingPage } from './features/home/waiting-page.tsx';
import { ProfilePage } from './features/profile/profile-page.tsx';
import { FullPageLoader } from './components/full-page-loader.tsx';
import { CreateRequestPage } from './features/requests/create-request-page.tsx';
import { DeskPage } from './features/requests/desk-page.tsx';
import { EscalationPage } from './features/requests/escalation-page.tsx';
import { SurveyPage } from './features/survey/survey-page.tsx';
import { MyRequestsPage } from './features/requests/my-requests-page.tsx';
import { RequestPage } from './features/requests/request-page.tsx';
import { FlexOrganizationPage, FlexPage } from './features/flex/flex-page.tsx';
import { ProjectPage } from './features/flex/project-page.tsx';

const AdminRoutes = lazy(() => import('./features/admin/admin-routes.tsx'));
const AgentRoutes = lazy(() => import('./features/agent/agent-routes.tsx'));

export function App() {
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route element={<GuestOnly />}>
          <Route path="login" element={<LoginPage />} />
          <Route path="signup" element={<SignupPage />} />
          <Route path="forgot-password" element={<ForgotPasswordPage />} />
        </Route>
        <Route path="verify-email/done" element={<VerifyEmailDonePage />} />
        {/* Public: whom to call and when, without logging in (DESIGN.md §2 "Escalation matrix"). */}
        <Route path="escalation" element={<EscalationPage />} />
        <Route path="survey/:token" element={<SurveyPage />} />
        <Route path="reset-password" element={<ResetPasswordPage />} />
        <Route path="invitation" element={<InvitationPage />} />

        <Route element={<RequireUser />}>
          <Route element={<RequireWaiting />}>
            <Route path="waiting" element={<WaitingPage />} />
          </Route>
          <Route element={<RequireAttached />}>
            <Route index element={<HomePage />} />
            <Route path="profile" element={<ProfilePage />} />
            <Route path="requests" element={<MyRequestsPage />} />
            <Route path="requests/new" element={<CreateRequestPage />} />
            <Route path="requests/:key" element={<RequestPage />} />
            <Route path="desks/:slug" element={<DeskPage />} />
            <Route path="flex" element={<FlexPage />} />
            <Route path="flex/:organizationId" element={<FlexOrganizationPage />} />
            <Route path="projects/:id" element={<ProjectPage />} />
            <Route
              path="agent/*"
              element={
                <Suspense fallback={<FullPageLoader />}>
                  <AgentRoutes />
                </Suspense>
              }
            />
            <Route element={<RequireAdmin />}>
              <Route
                path="admin/*"
                element={
                  <Suspense fallback={<FullPageLoader />}>
                    <AdminRoutes />
                  </Suspense>
                }
              />
            </Route>
          </Route>
        </Route>

        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
