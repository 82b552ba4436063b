export const ADMIN_SECTIONS = [
  { path: '/admin/organizations', labelKey: 'admin.sections.organizations', hintKey: 'admin.sectionHints.organizations', testId: 'nav-admin-organizations' },
  { path: '/admin/users', labelKey: 'admin.sections.users', hintKey: 'admin.sectionHints.users', testId: 'nav-admin-users' },
  { path: '/admin/audit', labelKey: 'admin.sections.audit', hintKey: 'admin.sectionHints.audit', testId: 'nav-admin-audit' },
  { path: '/admin/outbox', labelKey: 'admin.sections.outbox', hintKey: 'admin.sectionHints.outbox', testId: 'nav-admin-outbox' },
] as const;
