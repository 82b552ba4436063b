/** `can` for each kind of viewer, and the request page's permissions as they were before `can` (issue 15: same answers). */
import { describe, expect, it } from 'vitest';
import { AGENT_TRANSITIONS, CUSTOMER_TRANSITIONS, isFinal, STATUSES, type Status } from '#shared/tickets.ts';
import { can, permissionsFor } from './can.ts';
import type { TicketAccess, Viewer } from './tickets.ts';

const ORG = 'org-a';
const DESK = 'desk-1';
const viewer = (over: Partial<Viewer> & Pick<Viewer, 'id' | 'role'>): Viewer => ({
  name: over.id,
  email: `${over.id}@example.test`,
  language: 'en',
  organizationId: null,
  deskIds: [],
  ownRequestsOnly: false,
  ...over,
});

const reporter = viewer({ id: 'reporter', role: 'customer', organizationId: ORG });
const participant = viewer({ id: 'participant', role: 'customer', organizationId: ORG });
const colleague = viewer({ id: 'colleague', role: 'customer', organizationId: ORG });
const privateColleague = viewer({ id: 'private', role: 'customer', organizationId: ORG, ownRequestsOnly: true });
const otherCustomer = viewer({ id: 'other', role: 'customer', organizationId: 'org-b' });
const detached = viewer({ id: 'detached', role: 'customer', organizationId: null });
const agent = viewer({ id: 'agent', role: 'agent', deskIds: [DESK] });
const otherAgent = viewer({ id: 'other-agent', role: 'agent', deskIds: ['desk-2'] });
const admin = viewer({ id: 'admin', role: 'admin' });

/** The request as `viewer` loads it (isParticipant is about the viewer). */
const request = (who: Viewer, status: Status = 'in_progress'): TicketAccess => ({
  id: 't1',
  organizationId: ORG,
  reporterId: reporter.id,
  deskId: DESK,
  status,
  isParticipant: who.id === participant.id,
});

describe('can, viewer by viewer', () => {
  it('Customer Services: agents and administrators work on requests and read what is internal; customers do not', () => {
    for (const action of ['workOnRequests', 'readInternal', 'actForCustomer', 'readAllOrganizations'] as const) {
      expect([agent, otherAgent, admin].map((v) => can(v, action))).toEqual([true, true, true]);
      expect([reporter, colleague, otherCustomer, detached].map((v) => can(v, action))).toEqual([false, false, false, false]);
    }
  });

  it('organizations: a customer reads their own organization’s Flex account and projects, staff every one', () => {
    for (const action of ['readFlex', 'readProject'] as const) {
      expect(can(reporter, action, { organizationId: ORG })).toBe(true);
      expect(can(otherCustomer, action, { organizationId: ORG })).toBe(false);
      expect(can(detached, action, { organizationId: ORG })).toBe(false);
      expect(can(agent, action, { organizationId: ORG })).toBe(true);
      expect(can(otherAgent, action, { organizationId: ORG })).toBe(true);
      expect(can(admin, action, { organizationId: ORG })).toBe(true);
    }
  });

  it('desks: an agent opens requests at their desks, an administrator at every one, a customer where the catalogue offers', () => {
    expect(can(agent, 'createInDesk', { deskId: DESK })).toBe(true);
    expect(can(otherAgent, 'createInDesk', { deskId: DESK })).toBe(false);
    expect(can(admin, 'createInDesk', { deskId: DESK })).toBe(true);
    expect(can(reporter, 'createInDesk', { deskId: DESK })).toBe(true);
  });

  it('files: a customer needs an organization to send one; staff do not', () => {
    expect([reporter, detached, agent, admin].map((v) => can(v, 'upload'))).toEqual([true, false, true, true]);
  });

  it('a request in progress: who replies, writes notes, changes it, manages participants', () => {
    const answers = (v: Viewer) => {
      const t = request(v);
      return {
        reply: can(v, 'reply', t),
        addInternalNote: can(v, 'addInternalNote', t),
        changeCriticality: can(v, 'changeCriticality', t),
        assign: can(v, 'assign', t),
        move: can(v, 'move', t),
        addParticipant: can(v, 'addParticipant', t),
        removeParticipants: can(v, 'removeParticipants', t),
        leave: can(v, 'leave', t),
        resolve: can(v, 'transition', { ticket: t, to: 'resolved' }),
      };
    };
    const staff = {
      reply: true,
      addInternalNote: true,
      changeCriticality: true,
      assign: true,
      move: true,
      addParticipant: true,
      removeParticipants: true,
      leave: false,
      resolve: true,
    };
    const customer = {
      reply: true,
      addInternalNote: false,
      changeCriticality: false,
      assign: false,
      move: false,
      addParticipant: true,
      removeParticipants: false,
      leave: false,
      resolve: false,
    };
    expect(answers(agent)).toEqual(staff);
    expect(answers(admin)).toEqual(staff);
    expect(answers(reporter)).toEqual({ ...customer, removeParticipants: true });
    expect(answers(participant)).toEqual({ ...customer, leave: true });
    expect(answers(colleague)).toEqual(customer);
    expect(answers(privateColleague)).toEqual({ ...customer, addParticipant: false });
  });

  it('a resolved request: the involved customers confirm it or reopen it, a colleague not involved does neither', () => {
    for (const v of [reporter, participant]) {
      expect(can(v, 'transition', { ticket: request(v, 'resolved'), to: 'closed' })).toBe(true);
    }
    expect(can(colleague, 'transition', { ticket: request(colleague, 'resolved'), to: 'closed' })).toBe(false);
    expect(can(agent, 'transition', { ticket: request(agent, 'resolved'), to: 'in_progress' })).toBe(AGENT_TRANSITIONS.resolved.includes('in_progress'));
  });

  it('removing a participant: the reporter and staff anyone, a participant only themselves', () => {
    const t = (v: Viewer) => request(v);
    expect(can(reporter, 'removeParticipant', { ticket: t(reporter), userId: participant.id })).toBe(true);
    expect(can(agent, 'removeParticipant', { ticket: t(agent), userId: participant.id })).toBe(true);
    expect(can(participant, 'removeParticipant', { ticket: t(participant), userId: participant.id })).toBe(true);
    expect(can(participant, 'removeParticipant', { ticket: t(participant), userId: 'someone-else' })).toBe(false);
    expect(can(colleague, 'removeParticipant', { ticket: t(colleague), userId: participant.id })).toBe(false);
  });

  it('qualifying: staff, while the request is open', () => {
    expect(can(agent, 'qualify', request(agent, 'open'))).toBe(true);
    expect(can(admin, 'qualify', request(admin, 'open'))).toBe(true);
    expect(can(agent, 'qualify', request(agent, 'qualified'))).toBe(false);
    expect(can(reporter, 'qualify', request(reporter, 'open'))).toBe(false);
  });

  it('a closed request: nothing changes on it; a follow-up is opened by whoever sees it; the rating is read by staff and the reporter', () => {
    for (const v of [reporter, participant, colleague, agent, admin]) {
      const t = request(v, 'closed');
      expect(can(v, 'reply', t)).toBe(false);
      expect(can(v, 'addParticipant', t)).toBe(false);
      expect(can(v, 'openFollowUp', t)).toBe(true);
      expect(can(v, 'openFollowUp', request(v, 'resolved'))).toBe(false);
    }
    expect(can(privateColleague, 'openFollowUp', request(privateColleague, 'closed'))).toBe(false);
    expect([reporter, participant, colleague, agent, admin].map((v) => can(v, 'readSurveyRating', request(v, 'closed')))).toEqual([
      true,
      false,
      false,
      true,
      true,
    ]);
  });
});

/** The request page's permissions as they were computed before `can` (the reference for "same answers"). */
function permissionsBefore(v: Viewer, t: TicketAccess) {
  const staff = v.role === 'agent' || v.role === 'admin';
  const final = isFinal(t.status);
  const involved = t.reporterId === v.id || t.isParticipant;
  return {
    reply: !final,
    addInternalNote: staff && !final,
    transitions: staff ? [...AGENT_TRANSITIONS[t.status]] : involved ? [...CUSTOMER_TRANSITIONS[t.status]] : [],
    qualify: staff && t.status === 'open',
    changeCriticality: staff && !final,
    assign: staff && !final,
    move: staff && !final,
    addParticipant: !final && (staff || involved || !v.ownRequestsOnly),
    removeParticipants: !final && (staff || t.reporterId === v.id),
    leave: !final && t.isParticipant,
  };
}

describe('permissionsFor, built from can', () => {
  it('answers as before for every viewer and every status', () => {
    for (const v of [reporter, participant, colleague, privateColleague, agent, otherAgent, admin]) {
      for (const status of STATUSES) {
        const t = request(v, status);
        expect(permissionsFor(v, t), `${v.id} on a ${status} request`).toEqual(permissionsBefore(v, t));
      }
    }
  });
});
