import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../session/session.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { PortalHome } from '../requests/portal-home.tsx';

// Customers are most of the visits: the staff home (queues, workspace parts) comes in a file of its own.
// Its own Suspense keeps the layout (and an open phone menu) in place while it loads.
const StaffHome = lazy(() => import('./staff-home.tsx'));

export function HomePage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  usePageTitle(t('nav.home'));
  if (!me) return null;
  return me.role === 'customer' ? (
    <PortalHome me={me} />
  ) : (
    <Suspense fallback={null}>
      <StaffHome me={me} />
    </Suspense>
  );
}
