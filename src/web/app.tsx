import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import { AppLayout } from './components/app-layout.tsx';
import { NotFoundPage } from './components/status-page.tsx';
import { GuestOnly, RequireAdmin, RequireAttached, RequireTwoFactor, RequireTwoFactorSetup, RequireUser, RequireWaiting } from './routes/guards.tsx';
import { lazyPage, PageLoading } from './routes/lazy-page.tsx';
import { loadTexts } from './i18n/index.ts';
// The log-in page comes with the app (where most visits start); every other page comes with its route.
import { LoginPage } from './features/auth/login-page.tsx';

/** The pages of a request's follow-up come with its texts (SLA, automatic closure, survey, escalation). */
const withFollowUpTexts =
  <M,>(load: () => Promise<M>) =>
  async () =>
    (await Promise.all([load(), loadTexts('followUp')]))[0];

const SignupPage = lazyPage(
  () => import('./features/auth/signup-page.tsx'),
  (m) => m.SignupPage,
);
const VerifyEmailDonePage = lazyPage(
  () => import('./features/auth/verify-email-done-page.tsx'),
  (m) => m.VerifyEmailDonePage,
);
const ForgotPasswordPage = lazyPage(
  () => import('./features/auth/forgot-password-page.tsx'),
  (m) => m.ForgotPasswordPage,
);
const ResetPasswordPage = lazyPage(
  () => import('./features/auth/reset-password-page.tsx'),
  (m) => m.ResetPasswordPage,
);
const InvitationPage = lazyPage(
  () => import('./features/invitations/invitation-page.tsx'),
  (m) => m.InvitationPage,
);
const HomePage = lazyPage(
  () => import('./features/home/home-page.tsx'),
  (m) => m.HomePage,
);
const WaitingPage = lazyPage(
  () => import('./features/home/waiting-page.tsx'),
  (m) => m.WaitingPage,
);
/** A person's account settings come with their texts (two-factor authentication, API tokens). */
const withAccountTexts =
  <M,>(load: () => Promise<M>) =>
  async () =>
    (await Promise.all([load(), loadTexts('account')]))[0];

const TwoFactorSetupPage = lazyPage(
  withAccountTexts(() => import('./features/two-factor/enroll-page.tsx')),
  (m) => m.TwoFactorSetupPage,
);
const ProfilePage = lazyPage(
  withAccountTexts(() => import('./features/profile/profile-page.tsx')),
  (m) => m.ProfilePage,
);
const CreateRequestPage = lazyPage(
  () => import('./features/requests/create-request-page.tsx'),
  (m) => m.CreateRequestPage,
);
const DeskPage = lazyPage(
  () => import('./features/requests/desk-page.tsx'),
  (m) => m.DeskPage,
);
const EscalationPage = lazyPage(
  withFollowUpTexts(() => import('./features/requests/escalation-page.tsx')),
  (m) => m.EscalationPage,
);
const SurveyPage = lazyPage(
  withFollowUpTexts(() => import('./features/survey/survey-page.tsx')),
  (m) => m.SurveyPage,
);
const MyRequestsPage = lazyPage(
  () => import('./features/requests/my-requests-page.tsx'),
  (m) => m.MyRequestsPage,
);
const RequestPage = lazyPage(
  withFollowUpTexts(() => import('./features/requests/request-page.tsx')),
  (m) => m.RequestPage,
);
const FlexPage = lazyPage(
  () => import('./features/flex/flex-page.tsx'),
  (m) => m.FlexPage,
);
const FlexOrganizationPage = lazyPage(
  () => import('./features/flex/flex-page.tsx'),
  (m) => m.FlexOrganizationPage,
);
const ProjectPage = lazyPage(
  () => import('./features/flex/project-page.tsx'),
  (m) => m.ProjectPage,
);
const AdminRoutes = lazy(() => import('./features/admin/admin-routes.tsx'));
const AgentRoutes = lazy(() => import('./features/agent/agent-routes.tsx'));

export function App() {
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route element={<PageLoading />}>
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
            <Route element={<RequireTwoFactorSetup />}>
              <Route path="two-factor-setup" element={<TwoFactorSetupPage />} />
            </Route>
            <Route element={<RequireTwoFactor />}>
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
                <Route path="agent/*" element={<AgentRoutes />} />
                <Route element={<RequireAdmin />}>
                  <Route path="admin/*" element={<AdminRoutes />} />
                </Route>
              </Route>
            </Route>
          </Route>

          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Route>
    </Routes>
  );
}
