import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { birthdayItem, campaignDueItem, campaignItem } from '@guanjia/dynamo/entities/care';
import { complaintEntryItem, complaintItem, complaintNumberItem, complaintRefItem } from '@guanjia/dynamo/entities/complaints';
import { conflictItem } from '@guanjia/dynamo/entities/conflict-items';
import { consentItem, consentKey } from '@guanjia/dynamo/entities/consent';
import { dailyFiguresItem, dayClosedItem, registrationItem, serviceSiteItem } from '@guanjia/dynamo/entities/counters';
import { customerChangeItem, leadGaugeItem, leadMonthItem } from '@guanjia/dynamo/entities/customer-history';
import { claimItem, claimTailKeys, customerItem, interactionItem, receptionItem } from '@guanjia/dynamo/entities/customers';
import { deliveryItem } from '@guanjia/dynamo/entities/deliveries';
import { designerAssignmentItem, designerProfileItem } from '@guanjia/dynamo/entities/designers';
import { referralFiguresItem, referralItem } from '@guanjia/dynamo/entities/referrals';
import { idempotencyItem } from '@guanjia/dynamo/entities/idempotency';
import { handoverCountsItem, handoverGuardItem, handoverItem, leaverItem } from '@guanjia/dynamo/entities/handovers';
import { headersItem, importChunkItem, importItem, rejectedItem } from '@guanjia/dynamo/entities/imports';
import { jobStateItem } from '@guanjia/dynamo/entities/job-state';
import { messageItem } from '@guanjia/dynamo/entities/outbox';
import { dutyItem, siteItem, staffItem, turnItem } from '@guanjia/dynamo/entities/sites';
import { taskItem } from '@guanjia/dynamo/entities/tasks';
import type { Item } from '@guanjia/dynamo/items';

const ENTITIES = new URL('../../packages/dynamo/src/entities/', import.meta.url);
const README = new URL('../../packages/dynamo/README.md', import.meta.url);
const COLUMNS = ['Entity', 'type', 'PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'GSI3PK', 'GSI3SK', 'GSI4PK', 'GSI4SK', 'Sparse', 'Read by'] as const;
const KEYS = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'GSI3PK', 'GSI3SK', 'GSI4PK', 'GSI4SK'] as const;

type Row = Record<(typeof COLUMNS)[number], string>;

/** The rows of the access-pattern table, code spans and all: a cell is what the key attribute holds. */
function accessPatternRows(): Row[] {
  const lines = readFileSync(README, 'utf8').split('\n');
  // Found by its first two cells, however a formatter pads the columns.
  const header = lines.findIndex((line) => /^\|\s*Entity\s*\|\s*type\s*\|/.test(line));
  const cells = (line: string) =>
    line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim().replace(/^`(.*)`$/, '$1'));
  expect(cells(lines[header]!)).toEqual([...COLUMNS]);
  const rows: Row[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(Object.fromEntries(cells(line).map((cell, i) => [COLUMNS[i], cell])) as Row);
  }
  return rows;
}

/** A record whose fields are their own placeholders, as the table writes them. */
const placeholders = <T>(fields: Record<string, unknown>): T => fields as T;

/** One item per row, built by the entity modules from placeholder fields. */
const SAMPLES: Record<string, () => Item | { PK: string; SK: string; type: string }> = {
  Site: () => siteItem(placeholders({ id: '<siteId>' })),
  Staff: () => staffItem(placeholders({ siteId: '<siteId>', id: '<staffId>' })),
  Leaver: () => leaverItem('<staffId>', '<siteId>', '<at>'),
  'Hand-over, running': () => handoverItem(placeholders({ id: '<handoverId>', siteId: '<siteId>', status: 'running', updatedAt: '<updatedAt>' })),
  'Hand-over guard': () => handoverGuardItem(placeholders({ id: '<handoverId>', siteId: '<siteId>', fromId: '<staffId>' })),
  'Hand-over counts': () => handoverCountsItem('<handoverId>', 0, 0),
  'Hand-over': () => handoverItem(placeholders({ id: '<handoverId>', siteId: '<siteId>', status: 'done' })),
  Duty: () => dutyItem(placeholders({ siteId: '<siteId>' })),
  Turn: () => turnItem(placeholders({ siteId: '<siteId>', rotation: '<rotation>' })),
  'Designer profile': () => designerProfileItem(placeholders({ siteId: '<siteId>', staffId: '<staffId>' })),
  'Designer assignment': () => designerAssignmentItem(placeholders({ siteId: '<siteId>', staffId: '<staffId>', at: '<at>', customerId: '<customerId>' })),
  // The tail partition is cut from the phone itself; the builder shows where the tail goes.
  'Phone claim': () => ({
    ...claimItem(placeholders({ phone: '<phone>', siteId: '<siteId>', id: '<customerId>', createdAt: '<createdAt>' })),
    ...claimTailKeys('<siteId>', '<tail>', '<createdAt>', '<customerId>'),
  }),
  // The item's own sort key ends in a random part; the builder shows where it goes.
  'Consent record': () => ({
    ...consentKey('<phone>', '<at>', '<unique>'),
    type: consentItem(placeholders({ phone: '<phone>', at: '<at>', granted: true })).type as string,
  }),
  Customer: () => customerItem(placeholders({ id: '<customerId>', siteId: '<siteId>', ownerId: '<ownerId>', createdAt: '<createdAt>' })),
  'Customer, loss requested': () =>
    customerItem(
      placeholders({ id: '<customerId>', siteId: '<siteId>', ownerId: '<ownerId>', createdAt: '<createdAt>', lossRequest: { requestedAt: '<requestedAt>' } }),
    ),
  'Customer, with a designer': () =>
    customerItem(
      placeholders({
        id: '<customerId>',
        siteId: '<siteId>',
        ownerId: '<ownerId>',
        createdAt: '<createdAt>',
        designerId: '<designerId>',
        designerDecision: { at: '<assignedAt>' },
      }),
    ),
  Reception: () => receptionItem(placeholders({ customerId: '<customerId>', at: '<at>', id: '<receptionId>' })),
  Interaction: () => interactionItem(placeholders({ customerId: '<customerId>', at: '<at>', id: '<interactionId>' })),
  Delivery: () => deliveryItem(placeholders({ customerId: '<customerId>', id: '<deliveryId>' })),
  'Complaint ref': () => complaintRefItem(placeholders({ customerId: '<customerId>', createdAt: '<createdAt>', id: '<complaintId>' })),
  'Birthday marker': () => birthdayItem({ id: '<customerId>', siteId: '<siteId>', birthday: '<mmdd>' }),
  'Task, open': () =>
    taskItem(
      placeholders({
        id: '<taskId>',
        siteId: '<siteId>',
        customerId: '<customerId>',
        assigneeId: '<assigneeId>',
        status: 'open',
        dueAt: '<dueAt>',
        dueOn: '<dueOn>',
      }),
    ),
  'Task, closed': () =>
    taskItem(placeholders({ id: '<taskId>', siteId: '<siteId>', assigneeId: '<assigneeId>', status: '<status>', dueAt: '<dueAt>', dueOn: '<dueOn>' })),
  'Task, open callback nobody has': () =>
    taskItem(
      placeholders({ id: '<taskId>', siteId: '<siteId>', customerId: '<customerId>', assigneeId: null, status: 'open', dueAt: '<dueAt>', dueOn: '<dueOn>' }),
    ),
  'Task, follow-up closed late': () =>
    taskItem(placeholders({ id: '<taskId>', siteId: '<siteId>', assigneeId: '<assigneeId>', status: '<status>', dueAt: '<dueAt>', dueOn: null }), '<closedOn>'),
  'Task, other unassigned': () =>
    taskItem(placeholders({ id: '<taskId>', siteId: '<siteId>', assigneeId: null, status: '<status>', dueAt: '<dueAt>', dueOn: null })),
  Conflict: () =>
    conflictItem(placeholders({ id: '<conflictId>', siteId: '<siteId>', customerId: '<customerId>', status: '<status>', createdAt: '<createdAt>' })),
  'Complaint, unanswered': () =>
    complaintItem(placeholders({ id: '<complaintId>', siteId: '<siteId>', createdAt: '<createdAt>', status: 'received', respondBy: '<respondBy>' })),
  'Complaint, answered': () =>
    complaintItem(placeholders({ id: '<complaintId>', siteId: '<siteId>', createdAt: '<createdAt>', status: '<status>', respondBy: '<respondBy>' })),
  'Complaint number': () => complaintNumberItem(placeholders({ number: '<number>', id: '<complaintId>', siteId: '<siteId>' })),
  'Complaint entry': () => complaintEntryItem(placeholders({ complaintId: '<complaintId>', at: '<at>', id: '<entryId>' })),
  'SMS, queued': () =>
    messageItem(
      placeholders({ id: '<messageId>', customerId: '<customerId>', createdAt: '<createdAt>', updatedAt: '<updatedAt>', state: 'queued', sendAfter: null }),
    ),
  'SMS, deferred': () =>
    messageItem(
      placeholders({
        id: '<messageId>',
        customerId: '<customerId>',
        createdAt: '<createdAt>',
        updatedAt: '<updatedAt>',
        state: 'deferred',
        sendAfter: '<sendAfter>',
      }),
    ),
  'SMS, other': () =>
    messageItem(
      placeholders({ id: '<messageId>', customerId: '<customerId>', createdAt: '<createdAt>', updatedAt: '<updatedAt>', state: '<state>', sendAfter: null }),
    ),
  Campaign: () => campaignItem(placeholders({ id: '<campaignId>' })),
  'Campaign-due marker': () => campaignDueItem(placeholders({ id: '<campaignId>', sendOn: '<sendOn>', siteId: '<siteId>' })),
  'Customer change': () => customerChangeItem(placeholders({ customerId: '<customerId>', at: '<at>', id: '<changeId>' })),
  'Lead gauge': () => leadGaugeItem(placeholders({ siteId: '<siteId>', staffId: '<staffId>' })),
  'Lead month': () => leadMonthItem(placeholders({ siteId: '<siteId>', month: '<month>', staffId: '<staffId>' })),
  'Daily figures': () => dailyFiguresItem(placeholders({ siteId: '<siteId>', day: '<day>', staffId: '<staffId>' })),
  'Day closed': () => dayClosedItem('<siteId>', '<day>', '<closedAt>'),
  Registrations: () => registrationItem(placeholders({ siteId: '<siteId>', day: '<day>', staffId: '<staffId>', channel: '<channel>' })),
  Referral: () => referralItem(placeholders({ id: '<customerId>', siteId: '<siteId>', referredBy: '<keyPersonId>', createdAt: '<createdAt>' })),
  'Referral figures': () => referralFiguresItem(placeholders({ siteId: '<siteId>', day: '<day>', keyPersonId: '<keyPersonId>' })),
  'Service sites of a day': () => serviceSiteItem('<siteId>', '<day>'),
  'Import, running': () =>
    importItem(placeholders({ id: '<importId>', siteId: '<siteId>', createdAt: '<createdAt>', updatedAt: '<updatedAt>', status: 'running' })),
  Import: () => importItem(placeholders({ id: '<importId>', siteId: '<siteId>', createdAt: '<createdAt>', status: 'done' })),
  'Import chunk': () => importChunkItem(placeholders({ importId: '<importId>', number: '<number>' as unknown as number })),
  'Import headers': () => headersItem('<importId>', []),
  'Import refused rows': () => rejectedItem('<importId>', '<page>' as unknown as number, []),
  'Job state': () => jobStateItem(placeholders({ job: '<job>' })),
  'Idempotency record': () => idempotencyItem(placeholders({ scope: '<scope>', key: '<key>' })),
};

/** Every `type` tag an entity module writes on an item. */
function itemTypesInSource(): string[] {
  const types = new Set<string>();
  for (const file of readdirSync(ENTITIES).filter((name) => name.endsWith('.ts'))) {
    for (const match of readFileSync(new URL(file, ENTITIES), 'utf8').matchAll(/\btype: '([a-z_]+)'/g)) types.add(match[1]!);
  }
  return [...types].sort();
}

describe('the access-pattern table of packages/dynamo/README.md', () => {
  const rows = accessPatternRows();

  it('has one row for every sample item, and a sample for every row', () => {
    expect(rows.map((row) => row.Entity).sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  it('has a row for every item type the entity modules write', () => {
    expect([...new Set(rows.map((row) => row.type))].sort()).toEqual(itemTypesInSource());
  });

  it.each(rows.map((row) => [row.Entity, row] as const))('shows the keys the entity module builds for %s', (_, row) => {
    const item = SAMPLES[row.Entity]!() as Record<string, unknown>;
    const built = Object.fromEntries(KEYS.map((name) => [name, (item[name] as string | undefined) ?? '—']));
    const shown = Object.fromEntries(KEYS.map((name) => [name, row[name]]));
    expect(built).toEqual(shown);
    expect(item.type).toBe(row.type);
  });

  it.each(rows.filter((row) => row.Sparse !== 'no').map((row) => [row.Entity, row] as const))(
    'lists %s in sparse indexes that the item leaves in another state',
    (_, row) => {
      for (const sparse of row.Sparse.split(', ')) {
        const index = `${sparse}PK` as 'GSI1PK' | 'GSI2PK' | 'GSI3PK' | 'GSI4PK';
        expect(row[index]).not.toBe('—');
        const otherStates = rows.filter((other) => other.type === row.type && other !== row);
        expect(otherStates.some((other) => other[index] !== row[index])).toBe(true);
      }
    },
  );
});
