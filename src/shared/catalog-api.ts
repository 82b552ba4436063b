/** Desks, request types, projects and Flex contract windows: the catalogue customers open requests in. */
import { z } from 'zod';
import { listQuerySchema } from './api.ts';
import { deskInboundAddressSchema } from './inbound-api.ts';

const isoDate = z.iso.datetime({ offset: true });
const day = z.iso.date();

/** Limits of the catalogue's texts and numbers; the admin forms check the same ones. */
export const CATALOG_NAME_MAX = 80;
export const CATALOG_DESCRIPTION_MAX = 1000;
export const SLUG_MAX = 40;
export const POSITION_MAX = 1000;
export const PROJECT_NAME_MAX = 200;
export const PROJECT_CODE_MAX = 40;

export const localizedSchema = z.object({ fr: z.string(), de: z.string(), en: z.string() }).meta({ id: 'Localized' });
const localizedInput = (max: number, min = 1) =>
  z.strictObject({ fr: z.string().trim().min(min).max(max), de: z.string().trim().min(min).max(max), en: z.string().trim().min(min).max(max) });
const slug = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(SLUG_MAX)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Use lowercase letters, digits and dashes');

const deskKeyPrefix = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2,6}$/, 'Two to six letters');

export const deskSchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    keyPrefix: z.string(),
    names: localizedSchema,
    descriptions: localizedSchema,
    position: z.number().int(),
    active: z.boolean(),
    /** Requests here need an active maintenance contract when the organization requires one (the Support desk). */
    coveredByMaintenance: z.boolean(),
    /** The desk's own e-mail address (support@…): mail sent to it opens a request here. */
    inboundAddress: z.string().nullable(),
    /** The request type of a request opened by e-mail; null: the desk's first active type needing no project and no Flex contract. */
    inboundRequestTypeId: z.uuid().nullable(),
    memberIds: z.array(z.string()),
  })
  .meta({ id: 'Desk' });
export type Desk = z.infer<typeof deskSchema>;

export const createDeskSchema = z.strictObject({
  slug,
  keyPrefix: deskKeyPrefix,
  names: localizedInput(CATALOG_NAME_MAX),
  descriptions: localizedInput(CATALOG_DESCRIPTION_MAX, 0),
  position: z.number().int().min(0).max(POSITION_MAX).default(0),
  coveredByMaintenance: z.boolean().default(false),
  inboundAddress: deskInboundAddressSchema.nullable().default(null),
  inboundRequestTypeId: z.uuid().nullable().default(null),
});
export const updateDeskSchema = z.strictObject({
  slug: slug.optional(),
  /** Accepted only when unchanged (a form may send the whole desk): request keys are issued from it. */
  keyPrefix: deskKeyPrefix.optional(),
  names: localizedInput(CATALOG_NAME_MAX).optional(),
  descriptions: localizedInput(CATALOG_DESCRIPTION_MAX, 0).optional(),
  position: z.number().int().min(0).max(POSITION_MAX).optional(),
  active: z.boolean().optional(),
  coveredByMaintenance: z.boolean().optional(),
  inboundAddress: deskInboundAddressSchema.nullable().optional(),
  inboundRequestTypeId: z.uuid().nullable().optional(),
});
/** Replaces the agents of a desk. */
export const setDeskMembersSchema = z.strictObject({ userIds: z.array(z.string().min(1).max(100)).max(500) });

export const requestTypeSchema = z
  .object({
    id: z.uuid(),
    deskId: z.uuid(),
    slug: z.string(),
    names: localizedSchema,
    descriptions: localizedSchema,
    underSla: z.boolean(),
    requiresFlexContract: z.boolean(),
    requiresProject: z.boolean(),
    active: z.boolean(),
    position: z.number().int(),
  })
  .meta({ id: 'RequestType' });
export type RequestType = z.infer<typeof requestTypeSchema>;

export const createRequestTypeSchema = z.strictObject({
  deskId: z.uuid(),
  slug,
  names: localizedInput(CATALOG_NAME_MAX),
  descriptions: localizedInput(CATALOG_DESCRIPTION_MAX, 0),
  underSla: z.boolean().default(true),
  requiresFlexContract: z.boolean().default(false),
  requiresProject: z.boolean().default(false),
  position: z.number().int().min(0).max(POSITION_MAX).default(0),
});
export const updateRequestTypeSchema = z.strictObject({
  slug: slug.optional(),
  names: localizedInput(CATALOG_NAME_MAX).optional(),
  descriptions: localizedInput(CATALOG_DESCRIPTION_MAX, 0).optional(),
  underSla: z.boolean().optional(),
  requiresFlexContract: z.boolean().optional(),
  requiresProject: z.boolean().optional(),
  active: z.boolean().optional(),
  position: z.number().int().min(0).max(POSITION_MAX).optional(),
});

export const requestTypeListQuerySchema = z.strictObject({ deskId: z.uuid().optional() });

export const PROJECT_STATUSES = ['active', 'closed'] as const;
export const projectStatusSchema = z.enum(PROJECT_STATUSES);
export const projectSchema = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    name: z.string(),
    code: z.string().nullable(),
    status: projectStatusSchema,
    createdAt: isoDate,
  })
  .meta({ id: 'Project' });
export type Project = z.infer<typeof projectSchema>;
export const createProjectSchema = z.strictObject({
  organizationId: z.uuid(),
  name: z.string().trim().min(1).max(PROJECT_NAME_MAX),
  code: z.string().trim().min(1).max(PROJECT_CODE_MAX).nullable().default(null),
});
export const updateProjectSchema = z.strictObject({
  name: z.string().trim().min(1).max(PROJECT_NAME_MAX).optional(),
  code: z.string().trim().min(1).max(PROJECT_CODE_MAX).nullable().optional(),
  status: projectStatusSchema.optional(),
});
export const projectListQuerySchema = listQuerySchema.extend({
  organizationId: z.uuid().optional(),
  status: projectStatusSchema.optional(),
});

export const flexWindowSchema = z.object({ id: z.uuid(), organizationId: z.uuid(), startsOn: day, endsOn: day }).meta({ id: 'FlexContractWindow' });
export type FlexWindow = z.infer<typeof flexWindowSchema>;
export const createFlexWindowSchema = z.strictObject({ startsOn: day, endsOn: day });
export const flexContractSchema = z.object({ organizationId: z.uuid(), active: z.boolean(), windows: z.array(flexWindowSchema) }).meta({ id: 'FlexContract' });
export type FlexContract = z.infer<typeof flexContractSchema>;

export const flexWindowParamsSchema = z.object({ id: z.uuid(), windowId: z.uuid() });

/** At least one setting; an empty change is refused on its first field. */
export const organizationSettingsSchema = z
  .strictObject({ ownRequestsOnly: z.boolean().optional(), twoFactorRequired: z.boolean().optional() })
  .refine((settings) => settings.ownRequestsOnly !== undefined || settings.twoFactorRequired !== undefined, {
    message: 'Invalid input: expected boolean, received undefined',
    path: ['ownRequestsOnly'],
  });

/** Customers get their own organization's catalogue (passing another organization is refused); staff name the organization. */
export const portalCatalogQuerySchema = z.strictObject({ organizationId: z.uuid().optional() });

/** What the portal home and the create forms need: desks with the request types open to this customer. */
export const portalCatalogSchema = z
  .object({
    desks: z.array(
      z.object({
        id: z.uuid(),
        slug: z.string(),
        name: z.string(),
        description: z.string(),
        requestTypes: z.array(
          z.object({
            id: z.uuid(),
            slug: z.string(),
            name: z.string(),
            description: z.string(),
            underSla: z.boolean(),
            requiresProject: z.boolean(),
            requiresFlexContract: z.boolean(),
            /** False when the organization may not open it now (e.g. no active Flex contract); `unavailableReason` says why. */
            available: z.boolean(),
            unavailableReason: z.string().nullable(),
          }),
        ),
      }),
    ),
    projects: z.array(z.object({ id: z.uuid(), name: z.string(), code: z.string().nullable() })),
    flexContractActive: z.boolean(),
  })
  .meta({ id: 'PortalCatalog' });
export type PortalCatalog = z.infer<typeof portalCatalogSchema>;

/** The desks as agents see them: to filter queues, move a request, assign it, open one for a customer. */
export const staffDesksSchema = z
  .object({
    desks: z.array(
      z.object({
        id: z.uuid(),
        slug: z.string(),
        keyPrefix: z.string(),
        name: z.string(),
        /** The caller works at this desk. */
        member: z.boolean(),
        requestTypes: z.array(z.object({ id: z.uuid(), slug: z.string(), name: z.string(), requiresProject: z.boolean(), requiresFlexContract: z.boolean() })),
        agents: z.array(z.object({ id: z.string(), name: z.string() })),
      }),
    ),
  })
  .meta({ id: 'StaffDesks' });
export type StaffDesks = z.infer<typeof staffDesksSchema>;
