import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { and, eq, lte, ne, sql } from 'drizzle-orm';
import { DEFAULT_LANGUAGE, type Language } from '#shared/domain.ts';
import type { ClockKind } from '#shared/sla-api.ts';
import { isFinal, type Criticality, type Status } from '#shared/tickets.ts';
import type { DbOrTx } from '../../db/client.ts';
import { belongsToOrganization } from '../../policies/accounts.ts';
import {
  attachment,
  desk,
  deskMember,
  requestType,
  slaClock,
  slaClockEvent,
  ticket,
  ticketEvent,
  ticketLifecycle,
  ticketMessage,
  ticketParticipant,
  user,
} from '../../db/schema.ts';
import { detectContentType } from '../attachments/detect-content-type.ts';
import { attachFilesInTransaction, ensureUploadDir, uploadPath } from '../attachments/storage.ts';
import { cleanFileName } from '../attachments/upload-attachment.ts';
import { loadCalendar } from '../calendar/calendar-store.ts';
import { nextStep } from '../lifecycle/countdown.ts';
import { loadRules } from '../lifecycle/rules.ts';
import { policyInForce } from '../sla/policies.ts';
import { ticketEventRows, type TicketField } from '../tickets/record-event.ts';
import { textVector } from '../tickets/search.ts';
import { adfMediaNames, adfToMarkdown } from './adf-to-markdown.ts';
import { clockRows, deleteClock, type ImportedCycle } from './import-sla.ts';
import type { JsmAttachment, JsmChangelogEntry, JsmComment, JsmIssue, JsmRequest, JsmUser } from './jsm-client.ts';
import { importPerson, knownPeople, organizationForLoneCustomer, staffIds } from './people.ts';
import { count, findLinks, fingerprintOf, refuse, saveLinks, type ImportSession } from './session.ts';

/*
 * One JSM request into Guichet (issue 18), in one transaction: the request with its key, fields and
 * dates, its participants, its comments (internal ones as internal notes), its history from the
 * changelog, its attachments, its SLA clocks and its countdown. Written directly, without the
 * domain events of a new request: an import sends no acknowledgement, no notification, no webhook.
 * Run again, it updates what changed in JSM and adds what is new: every row keeps its JSM id
 * (jsm_link), and a request whose JSM "updated" instant has not moved is not read again.
 */

const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};

const date = (iso: string | null | undefined): Date | null => (iso ? new Date(iso) : null);
const SEARCH_TEXT_MAX = 200_000;

type Prepared = {
  issue: JsmIssue;
  request: JsmRequest;
  deskId: string;
  keyPrefix: string;
  requestTypeId: string;
  status: Status;
  criticality: Criticality;
  organizationId: string;
  reporterId: string;
  comments: JsmComment[];
  changelog: JsmChangelogEntry[];
};

const refuseRequest = (s: ImportSession, issue: JsmIssue, code: string, reason: string) =>
  refuse(s, { kind: 'request', jsmId: issue.id, label: issue.key, code, reason });

/** Imports one request (from a page of the search); refusals go to the report, never half-written. */
export async function importRequest(s: ImportSession, issue: JsmIssue, mappingFingerprint: string): Promise<void> {
  const fingerprint = fingerprintOf({ updated: issue.fields.updated, key: issue.key, status: issue.fields.status.name, m: mappingFingerprint });
  const link = (await findLinks(s.db, s.site, ['request'], [issue.id])).get(issue.id);
  if (link?.fingerprint === fingerprint) {
    count(s, 'request', 'unchanged');
    return;
  }
  const prepared = await prepare(s, issue, link?.localId ?? null);
  if (!prepared) return;
  const files = await fetchAttachments(s, prepared, link?.localId ?? null);
  const people = new Map(s.people);
  try {
    await attachFilesInTransaction(
      s.config.dataDir,
      files.map((f) => f.id),
      (place) =>
        transaction(s.db, async (tx) => {
          const outer = s.db;
          s.db = tx;
          try {
            const ticketId = await writeRequest(s, prepared, link?.localId ?? null, files);
            if (files.length) await place(ticketId);
            await saveLinks(tx, s.site, [{ kind: 'request', jsmId: issue.id, localId: ticketId, fingerprint }], s.clock.now());
          } finally {
            s.db = outer;
          }
        }),
    );
  } catch (error) {
    // The people met inside the transaction that did not commit are not there.
    s.people = people;
    for (const f of files) await rm(uploadPath(s.config.dataDir, f.id), { force: true });
    throw error;
  }
  count(s, 'request', link ? 'updated' : 'created');
}

/** A savepoint inside a dry run's transaction, a transaction otherwise: one request stands or falls whole. */
const transaction = <T>(db: DbOrTx, work: (tx: DbOrTx) => Promise<T>): Promise<T> => db.transaction((tx) => work(tx));

async function prepare(s: ImportSession, issue: JsmIssue, ticketId: string | null): Promise<Prepared | null> {
  const request = await s.client.request(issue.key);
  if (!request) {
    refuseRequest(s, issue, 'not_a_request', 'Not a service-desk request in JSM (no request type).');
    return null;
  }
  const target = s.mapping.desks.get(request.serviceDeskId);
  if (!target) {
    refuseRequest(s, issue, 'service_desk_not_mapped', `Its service desk (${request.serviceDeskId}) is not in the mapping.`);
    return null;
  }
  const type = s.mapping.types.get(request.requestTypeId);
  if (!type || type.deskId !== target.deskId) {
    refuseRequest(s, issue, 'request_type_not_mapped', `Its request type (${request.requestTypeId}) is not mapped to a request type of its desk.`);
    return null;
  }
  const status = s.mapping.statuses.get(issue.fields.status.name);
  if (!status) {
    refuseRequest(s, issue, 'status_not_mapped', `Its status "${issue.fields.status.name}" is not in the mapping.`);
    return null;
  }
  const priorityName = issue.fields.priority?.name;
  const criticality = priorityName ? s.mapping.criticalities.get(priorityName) : 'medium';
  if (!criticality) {
    refuseRequest(s, issue, 'priority_not_mapped', `Its priority "${priorityName}" is not in the mapping.`);
    return null;
  }
  const taken = await s.db
    .select({ id: ticket.id })
    .from(ticket)
    .where(and(eq(ticket.key, issue.key), ticketId ? ne(ticket.id, ticketId) : undefined))
    .limit(1);
  if (taken.length) {
    refuseRequest(s, issue, 'key_taken', `The key ${issue.key} is already used by another request in Guichet.`);
    return null;
  }
  const reporterId = await importPerson(s, request.reporter, 'customer', null);
  const organizationId = (await organizationOf(s, issue, reporterId)) ?? (await organizationForLoneCustomer(s, request.reporter, reporterId));
  const [comments, changelog] = [await collect(s.client.comments(issue.key)), await collect(s.client.changelog(issue.key))];
  return {
    issue,
    request,
    deskId: target.deskId,
    keyPrefix: target.keyPrefix,
    requestTypeId: type.requestTypeId,
    status,
    criticality,
    organizationId,
    reporterId,
    comments,
    changelog,
  };
}

/** The request's first organization in JSM that was imported, else its reporter's. */
async function organizationOf(s: ImportSession, issue: JsmIssue, reporterId: string): Promise<string | null> {
  const field = s.organizationField ? issue.fields[s.organizationField] : null;
  const ids = Array.isArray(field) ? field.map((o) => String((o as { id?: unknown }).id ?? '')).filter(Boolean) : [];
  if (ids.length) {
    const links = await findLinks(s.db, s.site, ['organization'], ids);
    for (const id of ids) {
      const l = links.get(id);
      if (l) return l.localId;
    }
  }
  const [reporter] = await s.db.select({ organizationId: user.organizationId }).from(user).where(eq(user.id, reporterId));
  return reporter?.organizationId ?? null;
}

type FetchedFile = { id: string; jsm: JsmAttachment; contentType: string; size: number };

/** The new attachments, downloaded and checked as uploads are (size, type); refused ones go to the report. A dry run checks the declared size only. */
async function fetchAttachments(s: ImportSession, p: Prepared, ticketId: string | null): Promise<FetchedFile[]> {
  const all = p.issue.fields.attachment ?? [];
  if (!all.length) return [];
  const links = ticketId
    ? await findLinks(
        s.db,
        s.site,
        ['attachment'],
        all.map((a) => a.id),
      )
    : new Map();
  const files: FetchedFile[] = [];
  const max = s.config.attachmentMaxBytes;
  const tooLarge = (a: JsmAttachment) =>
    refuse(s, {
      kind: 'attachment',
      jsmId: a.id,
      label: `${p.issue.key}: ${a.filename}`,
      code: 'attachment_too_large',
      reason: `Larger than the ${max >= 1048576 ? `${Math.round(max / 1048576)} MiB` : `${Math.round(max / 1024)} KiB`} an upload may have.`,
    });
  for (const a of all) {
    if (links.has(a.id)) {
      count(s, 'attachment', 'unchanged');
      continue;
    }
    if (a.size > max) {
      tooLarge(a);
      continue;
    }
    if (s.dryRun) {
      files.push({ id: `dry-${a.id}`, jsm: a, contentType: a.mimeType ?? 'application/octet-stream', size: a.size });
      continue;
    }
    const bytes = await s.client.attachmentContent(a.id, max);
    if (bytes === 'too_large') {
      tooLarge(a);
      continue;
    }
    const name = cleanFileName(a.filename);
    const contentType = bytes.length ? await detectContentType(bytes, name) : null;
    if (!contentType) {
      refuse(s, {
        kind: 'attachment',
        jsmId: a.id,
        label: `${p.issue.key}: ${a.filename}`,
        code: bytes.length ? 'attachment_type_refused' : 'attachment_empty',
        reason: bytes.length ? 'This type of file is not accepted as an upload.' : 'The file is empty.',
      });
      continue;
    }
    const id = randomUUID();
    await ensureUploadDir(s.config.dataDir);
    await writeFile(uploadPath(s.config.dataDir, id), bytes, { mode: 0o600 });
    files.push({ id, jsm: a, contentType, size: bytes.length });
  }
  // A dry run places nothing: its "files" only count.
  if (s.dryRun) {
    count(s, 'attachment', 'created', files.length);
    return [];
  }
  return files;
}

/** Writes the request and everything under it; returns its id. */
async function writeRequest(s: ImportSession, p: Prepared, existingId: string | null, files: FetchedFile[]): Promise<string> {
  const now = s.clock.now();
  const { issue, request } = p;
  const f = issue.fields;
  const ticketId = existingId ?? randomUUID();

  // The people: reporter and participants as customers, the assignee and the authors of internal comments as agents.
  const participants: string[] = [];
  for (const person of request.participants) participants.push(await importPerson(s, person, 'customer', null));
  const customers = new Set([p.reporterId, ...participants]);
  await knownPeople(s, [...p.comments.map((c) => c.author?.accountId ?? ''), ...p.changelog.map((e) => e.author?.accountId ?? '')].filter(Boolean));
  const personOf = async (person: JsmUser | null | undefined, internal: boolean): Promise<string> => {
    if (!person) return p.reporterId;
    const known = s.people.get(person.accountId);
    if (known) return known;
    return importPerson(s, person, !internal && person.accountType === 'customer' ? 'customer' : 'agent', null);
  };
  let assigneeId = f.assignee ? await personOf(f.assignee, true) : null;
  const staff = await staffIds(s, assigneeId ? [assigneeId] : []);
  if (assigneeId && !staff.has(assigneeId)) {
    refuse(
      s,
      { kind: 'request', jsmId: issue.id, label: issue.key, code: 'assignee_not_staff', reason: 'Its assignee is a customer in Guichet: imported unassigned.' },
      { counted: false },
    );
    assigneeId = null;
  }
  if (assigneeId) await s.db.insert(deskMember).values({ deskId: p.deskId, userId: assigneeId }).onConflictDoNothing();

  const messages: { comment: JsmComment; authorId: string; visibility: 'public' | 'internal'; body: string }[] = [];
  for (const c of p.comments) {
    const visibility = c.jsdPublic === false ? ('internal' as const) : ('public' as const);
    // JSM's own limits (32,767 characters a text) are under Guichet's: nothing is cut.
    const body = adfToMarkdown(c.body).trim() || '—';
    messages.push({ comment: c, authorId: await personOf(c.author, visibility === 'internal'), visibility, body });
  }
  const authorsStaff = await staffIds(s, [...new Set(messages.map((m) => m.authorId))]);
  const firstResponse = messages.find((m) => m.visibility === 'public' && authorsStaff.has(m.authorId) && !customers.has(m.authorId));

  const statusChanges = p.changelog.flatMap((e) => e.items.filter((i) => i.field === 'status').map((i) => ({ at: new Date(e.created), to: i.toString })));
  const statusChangedAt = date(request.currentStatus.statusDate?.iso8601) ?? date(statusChanges.at(-1)?.at.toISOString()) ?? new Date(f.created);
  const leftOpen = statusChanges.find((c) => c.to && s.mapping.statuses.get(c.to) && s.mapping.statuses.get(c.to) !== 'open');
  const resolved = p.status === 'resolved' || p.status === 'closed';
  const [existing] = existingId ? await s.db.select({ status: ticket.status }).from(ticket).where(eq(ticket.id, existingId)) : [];
  const [reporter] = await s.db.select({ language: user.language }).from(user).where(eq(user.id, p.reporterId));
  const language: Language = reporter?.language ?? DEFAULT_LANGUAGE;

  const values = {
    key: issue.key,
    deskId: p.deskId,
    requestTypeId: p.requestTypeId,
    organizationId: p.organizationId,
    reporterId: p.reporterId,
    summary: (f.summary || issue.key).trim(),
    description: adfToMarkdown(f.description),
    criticality: p.criticality,
    status: p.status,
    assigneeId,
    createdAt: new Date(f.created),
    updatedAt: new Date(f.updated),
    customerUpdatedAt: new Date(f.updated),
    statusChangedAt,
    qualifiedAt: p.status === 'open' ? null : (leftOpen?.at ?? new Date(f.created)),
    firstResponseAt: firstResponse ? new Date(firstResponse.comment.created) : null,
    resolvedAt: resolved ? (date(f.resolutiondate) ?? statusChangedAt) : null,
    closedAt: p.status === 'closed' ? statusChangedAt : null,
  };
  if (existingId) await s.db.update(ticket).set(values).where(eq(ticket.id, existingId));
  else await s.db.insert(ticket).values({ id: ticketId, createdById: p.reporterId, ...values });
  if (participants.length) {
    await s.db
      .insert(ticketParticipant)
      .values(participants.filter((id) => id !== p.reporterId).map((userId) => ({ ticketId, userId, createdAt: now })))
      .onConflictDoNothing();
  }

  // Comments: new ones added, changed ones rewritten (an internal comment made public in JSM, an edit).
  const messageLinks = await findLinks(
    s.db,
    s.site,
    ['comment'],
    messages.map((m) => m.comment.id),
  );
  const messageIds = new Map<string, string>();
  const newLinks: Parameters<typeof saveLinks>[2] = [];
  const newMessages: (typeof ticketMessage.$inferInsert)[] = [];
  for (const m of messages) {
    const fp = fingerprintOf({ body: m.body, visibility: m.visibility });
    const l = messageLinks.get(m.comment.id);
    if (l) {
      messageIds.set(m.comment.id, l.localId);
      if (l.fingerprint === fp) {
        count(s, 'comment', 'unchanged');
        continue;
      }
      await s.db.update(ticketMessage).set({ body: m.body, visibility: m.visibility }).where(eq(ticketMessage.id, l.localId));
      count(s, 'comment', 'updated');
    } else {
      const id = randomUUID();
      messageIds.set(m.comment.id, id);
      newMessages.push({ id, ticketId, authorId: m.authorId, visibility: m.visibility, body: m.body, createdAt: new Date(m.comment.created) });
    }
    newLinks.push({ kind: 'comment', jsmId: m.comment.id, localId: messageIds.get(m.comment.id)!, fingerprint: fp });
  }
  // The new comments in one statement (a JSM request has them by the dozen).
  if (newMessages.length) await s.db.insert(ticketMessage).values(newMessages);
  count(s, 'comment', 'created', newMessages.length);

  await writeHistory(s, p, ticketId, newLinks);
  await writeAttachments(s, p, ticketId, files, messageIds, newLinks);
  await writeClocks(s, p, ticketId, existingId !== null);
  if (!existing || existing.status !== p.status) await writeCountdown(s, ticketId, p.deskId, p.status);
  await continueCounter(s, issue.key);
  await s.db
    .update(ticket)
    .set(await vectors(s, ticketId, language, values.summary, values.description))
    .where(eq(ticket.id, ticketId));
  await saveLinks(s.db, s.site, newLinks, now);
  return ticketId;
}

/** The changelog's status, priority, assignee and project moves as the request's history; the creation first. */
async function writeHistory(s: ImportSession, p: Prepared, ticketId: string, links: Parameters<typeof saveLinks>[2]) {
  const { issue } = p;
  type Entry = { jsmId: string; at: Date; actorId: string | null; field: TicketField; from: string | null; to: string | null; reason?: string };
  const entries: Entry[] = [
    { jsmId: `${issue.id}:created`, at: new Date(issue.fields.created), actorId: p.reporterId, field: 'created', from: null, to: 'open' },
  ];
  const deskOfKey = (key: string | null) => {
    const prefix = key?.split('-')[0];
    for (const [, d] of s.mapping.desks) if (d.keyPrefix === prefix) return d.deskId;
    return null;
  };
  for (const e of p.changelog) {
    const actorId = e.author
      ? (s.people.get(e.author.accountId) ?? (await importPerson(s, e.author, e.author.accountType === 'customer' ? 'customer' : 'agent', null)))
      : null;
    e.items.forEach((item, index) => {
      const base = { jsmId: `${e.id}:${index}`, at: new Date(e.created), actorId };
      const field = item.field.toLowerCase();
      if (field === 'status') {
        const from = item.fromString ? (s.mapping.statuses.get(item.fromString) ?? null) : null;
        const to = item.toString ? (s.mapping.statuses.get(item.toString) ?? null) : null;
        if (to && from !== to) entries.push({ ...base, field: 'status', from, to });
      } else if (field === 'priority') {
        const from = item.fromString ? (s.mapping.criticalities.get(item.fromString) ?? null) : null;
        const to = item.toString ? (s.mapping.criticalities.get(item.toString) ?? null) : null;
        if (to && from !== to) entries.push({ ...base, field: 'criticality', from, to });
      } else if (field === 'assignee') {
        entries.push({ ...base, field: 'assignee', from: item.from, to: item.to });
      } else if (field === 'key') {
        entries.push({
          ...base,
          field: 'desk',
          from: deskOfKey(item.fromString),
          to: deskOfKey(item.toString),
          reason: `Moved in JSM: ${item.fromString} → ${item.toString}`,
        });
      }
    });
  }
  // Assignees are JSM account ids in the changelog: the Guichet people they are.
  for (const entry of entries.filter((x) => x.field === 'assignee')) {
    for (const side of ['from', 'to'] as const) {
      const accountId = entry[side];
      if (accountId) entry[side] = s.people.get(accountId) ?? (await importPerson(s, { accountId, displayName: accountId }, 'agent', null));
    }
  }
  const done = await findLinks(
    s.db,
    s.site,
    ['history'],
    entries.map((e) => e.jsmId),
  );
  const fresh = entries.filter((e) => !done.has(e.jsmId));
  count(s, 'history', 'unchanged', entries.length - fresh.length);
  if (!fresh.length) return;
  const rows = fresh.flatMap((e) =>
    ticketEventRows({ ticketId, at: e.at, actorId: e.actorId }, [{ field: e.field, from: e.from, to: e.to, reason: e.reason ?? null }]).map((row) => ({
      ...row,
      id: randomUUID(),
    })),
  );
  await s.db.insert(ticketEvent).values(rows);
  for (const [i, e] of fresh.entries()) links.push({ kind: 'history', jsmId: e.jsmId, localId: rows[i]!.id!, fingerprint: '' });
  count(s, 'history', 'created', fresh.length);
}

/**
 * The files: an attachment named by a media node of exactly one kind of comment goes with it (with
 * an internal comment, agents only); an attachment named only by internal comments is internal; the
 * others belong to the request, seen by its customers.
 */
async function writeAttachments(
  s: ImportSession,
  p: Prepared,
  ticketId: string,
  files: FetchedFile[],
  messageIds: Map<string, string>,
  links: Parameters<typeof saveLinks>[2],
) {
  if (!files.length) return;
  const publicNames = new Set([
    ...adfMediaNames(p.issue.fields.description),
    ...p.comments.filter((c) => c.jsdPublic !== false).flatMap((c) => adfMediaNames(c.body)),
  ]);
  for (const file of files) {
    const internalComment = p.comments.find((c) => c.jsdPublic === false && adfMediaNames(c.body).includes(file.jsm.filename));
    const publicComment = p.comments.find((c) => c.jsdPublic !== false && adfMediaNames(c.body).includes(file.jsm.filename));
    const internal = !publicNames.has(file.jsm.filename) && internalComment !== undefined;
    const comment = internal ? internalComment : publicComment;
    const uploaderId = file.jsm.author ? (s.people.get(file.jsm.author.accountId) ?? (await importPerson(s, file.jsm.author, 'agent', null))) : p.reporterId;
    const [uploader] = await s.db.select({ role: user.role, organizationId: user.organizationId }).from(user).where(eq(user.id, uploaderId));
    await s.db.insert(attachment).values({
      id: file.id,
      ticketId,
      messageId: comment ? (messageIds.get(comment.id) ?? null) : null,
      uploaderId,
      fileName: cleanFileName(file.jsm.filename),
      contentType: file.contentType,
      size: file.size,
      internal,
      organizationId: uploader && belongsToOrganization(uploader.role) ? uploader.organizationId : null,
      createdAt: new Date(file.jsm.created),
    });
    links.push({ kind: 'attachment', jsmId: file.jsm.id, localId: file.id, fingerprint: '' });
    count(s, 'attachment', 'created');
  }
}

/** The SLA cycles of the mapped SLAs, numbered per clock kind in the order they started. */
async function writeClocks(s: ImportSession, p: Prepared, ticketId: string, existed: boolean) {
  const cycles: (Omit<ImportedCycle, 'cycle'> & { jsmId: string })[] = [];
  const [type] = await s.db.select({ underSla: requestType.underSla }).from(requestType).where(eq(requestType.id, p.requestTypeId));
  for (const sla of p.request.sla) {
    const kind = s.mapping.clocks.get(sla.name);
    if (kind === 'ignore') continue;
    if (!kind) {
      if (!s.unknownSlas.has(sla.name)) {
        s.unknownSlas.add(sla.name);
        refuse(
          s,
          {
            kind: 'sla_cycle',
            jsmId: sla.id,
            label: sla.name,
            code: 'sla_not_mapped',
            reason: `The SLA "${sla.name}" is not in the mapping: its cycles are not imported.`,
          },
          { counted: false },
        );
      }
      continue;
    }
    for (const c of sla.completedCycles) cycles.push({ kind, jsm: c, completed: true, jsmId: `${p.issue.id}:${sla.id}:${c.startTime.epochMillis}` });
    // An open request's running cycle runs on here, under Guichet's policy; a closed one's has ended.
    const ongoing = sla.ongoingCycle;
    if (ongoing && !isFinal(p.status) && p.status !== 'resolved' && type?.underSla) {
      cycles.push({ kind, jsm: ongoing, completed: false, jsmId: `${p.issue.id}:${sla.id}:${ongoing.startTime.epochMillis}` });
    }
  }
  if (!cycles.length) return;
  const links = existed
    ? await findLinks(
        s.db,
        s.site,
        ['sla_cycle'],
        cycles.map((c) => c.jsmId),
      )
    : new Map();
  const policy = await policyInForce(s.db, p.requestTypeId, s.clock.now());
  const calendar = await loadCalendar(s.db);
  const now = s.clock.now();
  const saved: Parameters<typeof saveLinks>[2] = [];
  const kinds: ClockKind[] = ['engagement', 'resolution'];
  // Rewritten cycles are removed first, so the numbering of the rest cannot collide.
  const numbered = kinds.flatMap((kind) =>
    cycles
      .filter((c) => c.kind === kind)
      .sort((a, b) => a.jsm.startTime.epochMillis - b.jsm.startTime.epochMillis)
      .map((c, i) => ({ ...c, cycle: i + 1, fingerprint: fingerprintOf({ c: c.jsm, completed: c.completed, criticality: p.criticality }) })),
  );
  for (const c of numbered) {
    const l = links.get(c.jsmId);
    if (l && l.fingerprint !== c.fingerprint) await deleteClock(s.db, l.localId);
  }
  for (const c of numbered) {
    const l = links.get(c.jsmId);
    if (l && l.fingerprint === c.fingerprint) {
      count(s, 'sla_cycle', 'unchanged');
      continue;
    }
    const rows = clockRows(calendar, ticketId, c, { policy, criticality: p.criticality }, now);
    await s.db.insert(slaClock).values(rows.clock);
    await s.db.insert(slaClockEvent).values(rows.events);
    saved.push({ kind: 'sla_cycle', jsmId: c.jsmId, localId: rows.clock.id!, fingerprint: c.fingerprint });
    count(s, 'sla_cycle', l ? 'updated' : 'created');
  }
  await saveLinks(s.db, s.site, saved, now);
}

/**
 * A request waiting for its customer or resolved gets the countdown of automatic closure from the
 * import, not from JSM's dates: its reminders and closure come after the switch, never at once for the past.
 */
async function writeCountdown(s: ImportSession, ticketId: string, deskId: string, status: Status) {
  const now = s.clock.now();
  if (status !== 'waiting_customer' && status !== 'resolved') {
    await s.db.update(ticketLifecycle).set({ nextAction: null, dueAt: null, since: null, updatedAt: now }).where(eq(ticketLifecycle.ticketId, ticketId));
    return;
  }
  const next = nextStep(await loadRules(s.db, deskId), await loadCalendar(s.db), { status, since: now });
  const values = { nextAction: next?.action ?? null, dueAt: next?.dueAt ?? null, since: now, updatedAt: now };
  await s.db
    .insert(ticketLifecycle)
    .values({ ticketId, ...values })
    .onConflictDoUpdate({ target: ticketLifecycle.ticketId, set: values });
}

/** SUP-123 imported: the desk with the prefix SUP hands out SUP-124 next, never a key JSM used. */
async function continueCounter(s: ImportSession, key: string) {
  const [prefix, number] = key.split('-');
  const n = Number(number);
  if (!prefix || !Number.isSafeInteger(n)) return;
  await s.db
    .update(desk)
    .set({ nextNumber: n + 1 })
    .where(and(eq(desk.keyPrefix, prefix), lte(desk.nextNumber, n)));
}

/** The search vectors from the request's texts as they now are (public: summary, description, public replies). */
async function vectors(s: ImportSession, ticketId: string, language: Language, summary: string, description: string) {
  const rows = await s.db
    .select({ body: ticketMessage.body, visibility: ticketMessage.visibility })
    .from(ticketMessage)
    .where(eq(ticketMessage.ticketId, ticketId));
  const publicText = [summary, description, ...rows.filter((r) => r.visibility === 'public').map((r) => r.body)].join('\n').slice(0, SEARCH_TEXT_MAX);
  const internalText = rows
    .filter((r) => r.visibility === 'internal')
    .map((r) => r.body)
    .join('\n')
    .slice(0, SEARCH_TEXT_MAX);
  const pub = textVector(language, publicText);
  return { searchPublic: pub, searchAll: internalText ? sql`${pub} || ${textVector(language, internalText)}` : pub };
}
