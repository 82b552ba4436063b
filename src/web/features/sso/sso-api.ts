import type { CreateSsoProvider, SsoProviderView, UpdateSsoProvider } from '#shared/sso-api.ts';
import { api } from '../../lib/api.ts';

export type { SsoProviderView };
export const ssoKeys = { providers: ['admin', 'sso-providers'] as const };

export const ssoApi = {
  list: (signal?: AbortSignal) => api<{ items: SsoProviderView[] }>('/admin/sso-providers', { signal }),
  create: (body: Partial<CreateSsoProvider>) => api<SsoProviderView>('/admin/sso-providers', { body }),
  update: (id: string, body: UpdateSsoProvider) => api<SsoProviderView>(`/admin/sso-providers/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
  remove: (id: string) => api<null>(`/admin/sso-providers/${encodeURIComponent(id)}`, { method: 'DELETE' }),
};
