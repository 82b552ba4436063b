/**
 * The zod schemas of the shared lists (languages, roles, statuses, criticality levels). Apart from
 * the lists themselves (domain.ts, tickets.ts), which the log-in page and the home import: a page
 * that validates with one of these schemas brings zod with it, the first pages do not.
 */
import { z } from 'zod';
import { LANGUAGES, ROLES } from './domain.ts';
import { CRITICALITIES, STATUSES } from './tickets.ts';

export const languageSchema = z.enum(LANGUAGES);
export const roleSchema = z.enum(ROLES);
export const statusSchema = z.enum(STATUSES);
export const criticalitySchema = z.enum(CRITICALITIES);
