/** Every action the audit log records (`audit_log.action`); the interface has a label for each, in every language. */
export const AUDIT_ACTIONS = [
  'organization.created',
  'organization.updated',
  'user.invited',
  'user.admin_created',
  'user.role_changed',
  'user.organization_changed',
  'user.deactivated',
  'user.reactivated',
  'organization.settings_changed',
  'desk.created',
  'desk.updated',
  'desk.members_changed',
  'request_type.created',
  'request_type.updated',
  'project.created',
  'project.updated',
  'flex_window.added',
  'flex_window.removed',
  'flex.contract_changed',
  'flex.purchase_added',
  'flex.billing_run',
  'flex.time_entry_reversed',
  'sla.calendar_changed',
  'sla.closure_day_added',
  'sla.closure_day_removed',
  'sla.policy_changed',
  'escalation.matrix_changed',
  'outbox.retried',
  'lifecycle.rules_changed',
  'inbound.reprocessed',
  'inbound.triage_opened',
  'inbound.triage_dismissed',
  'webhook.created',
  'webhook.updated',
  'webhook.deleted',
  'webhook.secret_rotated',
  'webhook.disabled',
  'webhook.delivery_resent',
  'user.service_created',
  'api_token.created',
  'api_token.revoked',
  'security.settings_changed',
  'user.two_factor_enabled',
  'user.two_factor_disabled',
  'user.backup_codes_regenerated',
  'user.backup_code_used',
  'sso_provider.created',
  'sso_provider.updated',
  'sso_provider.deleted',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What an audit entry is about (`audit_log.target_type`). */
export const AUDIT_TARGET_TYPES = [
  'organization',
  'user',
  'desk',
  'request_type',
  'project',
  'billing_run',
  'sla_calendar',
  'time_entry',
  'outbox',
  'inbound_message',
  'webhook',
  'api_token',
  'security_settings',
  'sso_provider',
] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

type Underscored<S extends string> = S extends `${infer Head}.${infer Tail}` ? `${Head}_${Underscored<Tail>}` : S;

/** The key of an action's label in the interface texts (`audit.actions.flex_billing_run`): i18next keys cannot hold dots. */
export type AuditActionKey = Underscored<AuditAction>;
export const auditActionKey = (action: string) => action.replaceAll('.', '_');
