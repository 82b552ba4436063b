export const ADMIN_SECTIONS = [
  { path: '/admin/organizations', labelKey: 'admin.sections.organizations', hintKey: 'admin.sectionHints.organizations', testId: 'nav-admin-organizations' },
  { path: '/admin/users', labelKey: 'admin.sections.users', hintKey: 'admin.sectionHints.users', testId: 'nav-admin-users' },
  { path: '/admin/desks', labelKey: 'catalog.sections.desks', hintKey: 'catalog.sectionHints.desks', testId: 'nav-admin-desks' },
  { path: '/admin/request-types', labelKey: 'catalog.sections.requestTypes', hintKey: 'catalog.sectionHints.requestTypes', testId: 'nav-admin-request-types' },
  { path: '/admin/projects', labelKey: 'catalog.sections.projects', hintKey: 'catalog.sectionHints.projects', testId: 'nav-admin-projects' },
  { path: '/admin/sla', labelKey: 'sla.admin.section', hintKey: 'sla.admin.sectionHint', testId: 'nav-admin-sla' },
  { path: '/admin/escalation', labelKey: 'sla.admin.escalationSection', hintKey: 'sla.admin.escalationSectionHint', testId: 'nav-admin-escalation' },
  { path: '/admin/audit', labelKey: 'admin.sections.audit', hintKey: 'admin.sectionHints.audit', testId: 'nav-admin-audit' },
  { path: '/admin/outbox', labelKey: 'admin.sections.outbox', hintKey: 'admin.sectionHints.outbox', testId: 'nav-admin-outbox' },
] as const;
