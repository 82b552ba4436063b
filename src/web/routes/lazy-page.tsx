import { lazy, Suspense, type ComponentType } from 'react';
import { Outlet } from 'react-router';
import { FullPageLoader } from '../components/full-page-loader.tsx';

/**
 * A page loaded with its route: its code, and the libraries only it uses (charts, Markdown, forms), is
 * downloaded when the page is first shown, not with the app.
 */
export function lazyPage<M>(load: () => Promise<M>, pick: (module: M) => ComponentType) {
  return lazy(async () => ({ default: pick(await load()) }));
}

/** A layout route: while a page's code is on its way, what surrounds it stays and the page shows the loader. */
export function PageLoading() {
  return (
    <Suspense fallback={<FullPageLoader />}>
      <Outlet />
    </Suspense>
  );
}
