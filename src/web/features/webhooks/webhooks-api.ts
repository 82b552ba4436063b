import { useQuery } from '@tanstack/react-query';
import type { WebhookDelivery, WebhookDeliveryDetail, WebhookSubscription, WebhookSubscriptionDetail, WebhookSubscriptionInput } from '#shared/webhooks-api.ts';
import { api } from '../../lib/api.ts';

export type { WebhookDelivery, WebhookDeliveryDetail, WebhookSubscription, WebhookSubscriptionDetail };
export type WebhookForm = Required<Pick<WebhookSubscriptionInput, 'url' | 'description' | 'events' | 'deskId' | 'includeInternal' | 'enabled'>>;

export const webhookKeys = {
  all: ['admin', 'webhooks'] as const,
  one: (id: string) => ['admin', 'webhooks', id] as const,
  deliveries: (id: string) => ['admin', 'webhooks', id, 'deliveries'] as const,
  delivery: (id: string, deliveryId: string) => ['admin', 'webhooks', id, 'deliveries', deliveryId] as const,
};

export const webhooksApi = {
  list: (signal?: AbortSignal) => api<WebhookSubscription[]>('/admin/webhooks', { signal }),
  get: (id: string, signal?: AbortSignal) => api<WebhookSubscriptionDetail>(`/admin/webhooks/${id}`, { signal }),
  create: (body: WebhookForm) => api<WebhookSubscriptionDetail>('/admin/webhooks', { body }),
  update: (id: string, body: Partial<WebhookForm>) => api<WebhookSubscriptionDetail>(`/admin/webhooks/${id}`, { method: 'PATCH', body }),
  remove: (id: string) => api<null>(`/admin/webhooks/${id}`, { method: 'DELETE' }),
  rotate: (id: string) => api<WebhookSubscriptionDetail>(`/admin/webhooks/${id}/rotate-secret`, { method: 'POST' }),
  ping: (id: string) => api<WebhookDeliveryDetail>(`/admin/webhooks/${id}/ping`, { method: 'POST' }),
  deliveries: (id: string, signal?: AbortSignal) =>
    api<{ items: WebhookDelivery[]; nextCursor: string | null }>(`/admin/webhooks/${id}/deliveries`, { signal }),
  delivery: (id: string, deliveryId: string, signal?: AbortSignal) => api<WebhookDeliveryDetail>(`/admin/webhooks/${id}/deliveries/${deliveryId}`, { signal }),
  resend: (id: string, deliveryId: string) => api<WebhookDeliveryDetail>(`/admin/webhooks/${id}/deliveries/${deliveryId}/resend`, { method: 'POST' }),
};

export function useWebhooks() {
  return useQuery({ queryKey: webhookKeys.all, queryFn: ({ signal }) => webhooksApi.list(signal) });
}
