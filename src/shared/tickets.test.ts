import { afterEach, describe, expect, it } from 'vitest';
import {
  CUSTOMER_STATUS_LABELS,
  CUSTOMER_STATUS_TEXTS,
  CUSTOMER_STATUSES,
  customerSeesStatusChange,
  customerStatusOf,
  isFinal,
  STATUSES,
  type Status,
} from './tickets.ts';

const hidden = (from: Status, to: Status) => from !== to && [from, to].every((s) => s === 'in_progress' || s === 'waiting_third_party');
const original = structuredClone(CUSTOMER_STATUS_TEXTS);
afterEach(() => {
  for (const status of CUSTOMER_STATUSES) Object.assign(CUSTOMER_STATUS_TEXTS[status], original[status]);
});

describe('the customer status', () => {
  it('is "in progress" while waiting for a third party, and the internal status otherwise', () => {
    expect(STATUSES.map((s) => [s, customerStatusOf(s)])).toEqual([
      ['open', 'open'],
      ['qualified', 'qualified'],
      ['in_progress', 'in_progress'],
      ['waiting_customer', 'waiting_customer'],
      ['waiting_third_party', 'in_progress'],
      ['resolved', 'resolved'],
      ['closed', 'closed'],
      ['canceled', 'canceled'],
    ]);
    for (const s of STATUSES) expect(CUSTOMER_STATUS_LABELS[s]).toBe(CUSTOMER_STATUS_TEXTS[customerStatusOf(s)]);
  });

  it('tells the customer of every change of status except in progress ↔ waiting for a third party', () => {
    for (const from of STATUSES) {
      for (const to of STATUSES) {
        if (from === to) continue;
        expect(customerSeesStatusChange(from, to), `${from} → ${to}`).toBe(!hidden(from, to));
      }
    }
  });

  it('decides on the statuses, not on their labels, which an administrator may rename', () => {
    // Two visible statuses worded alike, and the two that are one status to the customer worded apart.
    CUSTOMER_STATUS_TEXTS.resolved.en = CUSTOMER_STATUS_TEXTS.in_progress.en;
    CUSTOMER_STATUS_TEXTS.qualified.fr = CUSTOMER_STATUS_TEXTS.open.fr;
    expect(customerSeesStatusChange('in_progress', 'resolved')).toBe(true);
    expect(customerSeesStatusChange('open', 'qualified')).toBe(true);
    expect(customerSeesStatusChange('in_progress', 'waiting_third_party')).toBe(false);
  });
});

describe('a final status', () => {
  it('is closed or canceled, and nothing else', () => {
    expect(STATUSES.filter(isFinal)).toEqual(['closed', 'canceled']);
  });
});
