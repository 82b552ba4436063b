import { createReadStream } from 'node:fs';
import multipart from '@fastify/multipart';
import { and, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema } from '#shared/api.ts';
import { attachmentLimitsSchema, attachmentSchema, ticketKeySchema } from '#shared/tickets-api.ts';
import { attachment } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { requireUser } from '../../http/access.ts';
import { loadTicketFor, loadViewer } from '../../policies/tickets.ts';
import { can } from '../../policies/can.ts';
import { IMAGE_TYPES } from './detect-content-type.ts';
import { locateAttachment } from './storage.ts';
import { assertMayUpload, UPLOAD_LIMITS, uploadAttachment } from './upload-attachment.ts';

const tags = ['Attachments'];
const notFound = () => new AppError(404, 'attachment.not_found', 'This attachment does not exist.');

export const attachmentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { config } = app.ctx;
  await app.register(multipart, { limits: { fileSize: config.attachmentMaxBytes, files: 1, fields: 0, parts: 1 } });

  const maxMiB = (config.attachmentMaxBytes / 1048576).toLocaleString('en', { maximumFractionDigits: 1 });
  const uploadBytesMiB = (UPLOAD_LIMITS.bytes(config.attachmentMaxBytes).max / 1048576).toLocaleString('en', { maximumFractionDigits: 1 });
  const tooLarge = () =>
    new AppError(413, 'attachment.too_large', `The file is larger than ${maxMiB} MiB, the largest accepted.`, 'file', config.attachmentMaxBytes);
  /** The multipart envelope around the file (boundaries, headers, the file name) is small; a body this much larger cannot hold a file that fits. */
  const ENVELOPE_BYTES = 64 * 1024;

  app.get(
    '/attachments/limits',
    {
      config: { access: 'user' },
      schema: {
        operationId: 'getAttachmentLimits',
        tags,
        summary: 'The largest file an upload may carry, in bytes (ATTACHMENT_MAX_MB)',
        response: { 200: attachmentLimitsSchema, 401: errorSchema },
      },
    },
    async () => ({ maxBytes: config.attachmentMaxBytes }),
  );

  app.post(
    '/attachments',
    {
      config: { access: 'user' },
      schema: {
        operationId: 'uploadAttachment',
        tags,
        summary: `Upload one file (multipart/form-data, field "file", at most ${maxMiB} MiB); attach it with its id when creating a request or replying`,
        description:
          'A larger file is refused with 413 `attachment.too_large`, whose `limit` is the largest size in bytes (also at `GET /api/attachments/limits`). ' +
          "A customer's upload counts against their organization's storage quota: one that would go over it is refused with 413 `attachment.quota_exceeded`, whose `limit` is the quota in bytes; " +
          'a customer without organization is refused (403 `organization.required`). ' +
          `Each person sends at most ${UPLOAD_LIMITS.files.max} files and ${uploadBytesMiB} MiB in ${UPLOAD_LIMITS.files.windowSeconds / 60} minutes: ` +
          'beyond, 429 `attachment.rate_limited` with Retry-After. An upload not attached to a request within 24 hours is deleted.',
        consumes: ['multipart/form-data'],
        response: { 201: attachmentSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema, 413: errorSchema, 415: errorSchema, 429: errorSchema },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      if (!request.isMultipart()) throw new AppError(415, 'attachment.multipart_required', 'Send the file as multipart/form-data.', 'file');
      // Refused from its announced size, before reading it.
      if (Number(request.headers['content-length']) > config.attachmentMaxBytes + ENVELOPE_BYTES) throw tooLarge();
      await assertMayUpload(app.ctx, user);
      const file = await request.file().catch(() => undefined);
      if (file?.fieldname !== 'file') throw new AppError(400, 'attachment.file_required', 'Send one file in the field "file".', 'file');
      let bytes: Buffer;
      try {
        bytes = await file.toBuffer();
      } catch {
        throw tooLarge();
      }
      const created = await uploadAttachment(app.ctx, { uploader: user, fileName: file.filename, bytes });
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/requests/:key/attachments/:id',
    {
      config: { access: 'user' },
      schema: {
        operationId: 'downloadAttachment',
        tags,
        summary: 'Download an attachment of a request (images open inline, anything else downloads)',
        params: z.object({ key: ticketKeySchema, id: z.uuid() }),
        response: { 200: z.any().describe('The file, with its detected content type'), 401: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const viewer = await loadViewer(app.ctx.db, requireUser(request));
      const ticketAccess = await loadTicketFor(app.ctx.db, viewer, request.params.key);
      const [row] = await app.ctx.db
        .select()
        .from(attachment)
        .where(and(eq(attachment.id, request.params.id), eq(attachment.ticketId, ticketAccess.id)));
      if (!row || (row.internal && !can(viewer, 'readInternal'))) throw notFound();
      const file = await locateAttachment(config.dataDir, ticketAccess.id, row.id);
      if (!file) throw notFound();
      const disposition = IMAGE_TYPES.has(row.contentType) ? 'inline' : 'attachment';
      return reply
        .header('content-type', row.contentType)
        .header('content-length', row.size)
        .header('content-disposition', `${disposition}; filename*=UTF-8''${encodeURIComponent(row.fileName)}`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .send(createReadStream(file));
    },
  );
};
