import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authRoutes } from './features/accounts/auth-routes.ts';
import { invitationRoutes } from './features/accounts/invitation-routes.ts';
import { meRoutes } from './features/accounts/me-routes.ts';
import { apiTokenRoutes } from './features/api-tokens/routes.ts';
import { attachmentRoutes } from './features/attachments/routes.ts';
import { auditRoutes } from './features/audit/routes.ts';
import { calendarRoutes } from './features/calendar/routes.ts';
import { catalogRoutes } from './features/catalog/routes.ts';
import { escalationRoutes } from './features/escalation/routes.ts';
import { flexRoutes } from './features/flex/routes.ts';
import { healthRoutes } from './features/health/routes.ts';
import { inboundRoutes } from './features/inbound/routes.ts';
import { jsmImportRoutes } from './features/jsm-import/routes.ts';
import { lifecycleRoutes } from './features/lifecycle/routes.ts';
import { outboxRoutes } from './features/mail/routes.ts';
import { notificationRoutes } from './features/notifications/routes.ts';
import { organizationRoutes } from './features/organizations/routes.ts';
import { projectRoutes } from './features/projects/routes.ts';
import { slaRoutes } from './features/sla/routes.ts';
import { ssoRoutes } from './features/sso/routes.ts';
import { surveyRoutes } from './features/survey/routes.ts';
import { ticketRoutes } from './features/tickets/routes.ts';
import { userRoutes } from './features/users/routes.ts';
import { webhookRoutes } from './features/webhooks/routes.ts';
import { securityRoutes } from './features/two-factor/routes.ts';

/**
 * The route plugins of the features, registered under /api in this order (the OpenAPI document
 * lists their operations so). A new feature adds its plugin here; app.ts knows none of them. Each
 * route declares who may call it (`config.access`, http/access.ts).
 */
export const FEATURE_ROUTES: readonly FastifyPluginAsyncZod[] = [
  healthRoutes,
  authRoutes,
  meRoutes,
  invitationRoutes,
  organizationRoutes,
  userRoutes,
  securityRoutes,
  catalogRoutes,
  projectRoutes,
  auditRoutes,
  outboxRoutes,
  inboundRoutes,
  notificationRoutes,
  ticketRoutes,
  attachmentRoutes,
  calendarRoutes,
  slaRoutes,
  escalationRoutes,
  lifecycleRoutes,
  surveyRoutes,
  flexRoutes,
  webhookRoutes,
  apiTokenRoutes,
  ssoRoutes,
  jsmImportRoutes,
];
