import { Navigate, Outlet, useLocation } from 'react-router';
import { FullPageLoader } from '../components/full-page-loader.tsx';
import { ForbiddenPage, LoadFailedPage } from '../components/status-page.tsx';
import { isWaiting, mustEnrollTwoFactor, useMe } from '../features/session/session.ts';
import { errorMessage } from '../lib/errors.ts';

/** Where a page sends a visitor back after logging in. */
export type ReturnState = { from?: string };

/** Logged-out visitors go to the login page, and come back here afterwards. */
export function RequireUser() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <FullPageLoader />;
  if (me.isError) return <LoadFailedPage message={errorMessage(me.error)} onRetry={() => void me.refetch()} />;
  if (!me.data) {
    const state: ReturnState = { from: location.pathname + location.search };
    return <Navigate to="/login" replace state={state} />;
  }
  return <Outlet />;
}

/** A user who must set up two-factor authentication sees only its set-up page until they have. */
export function RequireTwoFactor() {
  const { data: me } = useMe();
  if (me && mustEnrollTwoFactor(me)) return <Navigate to="/two-factor-setup" replace />;
  return <Outlet />;
}

export function RequireTwoFactorSetup() {
  const { data: me } = useMe();
  if (me && !mustEnrollTwoFactor(me)) return <Navigate to="/" replace />;
  return <Outlet />;
}

/** A customer without an organization sees only the waiting page. */
export function RequireAttached() {
  const { data: me } = useMe();
  if (me && isWaiting(me)) return <Navigate to="/waiting" replace />;
  return <Outlet />;
}

export function RequireWaiting() {
  const { data: me } = useMe();
  if (me && !isWaiting(me)) return <Navigate to="/" replace />;
  return <Outlet />;
}

export function RequireAdmin() {
  const { data: me } = useMe();
  if (me?.role !== 'admin') return <ForbiddenPage />;
  return <Outlet />;
}

/** Log-in and sign-up pages: a logged-in user goes home instead. */
export function GuestOnly() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <FullPageLoader />;
  if (me.data) {
    const from = (location.state as ReturnState | null)?.from;
    return <Navigate to={from?.startsWith('/') ? from : '/'} replace />;
  }
  return <Outlet />;
}
