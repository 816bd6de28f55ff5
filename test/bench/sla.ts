import { createIds, runSlaJob, type Complaint } from '@guanjia/core';
import { createDocumentClient, DynamoStore } from '@guanjia/dynamo';
import { complaintItem } from '@guanjia/dynamo/entities/complaints';
import { customerItem } from '@guanjia/dynamo/entities/customers';
import { siteItem, staffItem } from '@guanjia/dynamo/entities/sites';
import { batchWrite } from './callbacks-seed.ts';
import { createBenchTable, type BenchContext, type BenchTable } from './harness.ts';

const OPEN = 10_000;
const NEAR = 50;
const PAST = 50;
const NOW = new Date('2026-11-23T06:00:00Z');
const HOUR = 3600_000;

/**
 * The SLA job over 10,000 unanswered complaints of which 100 are near or past breach: what it
 * reads must follow the 100, not the 10,000.
 */
export async function slaRun(ctx: BenchContext): Promise<{ table: BenchTable; figures: Record<string, unknown> }> {
  const tableName = await createBenchTable(ctx.dynamoEndpoint, 'bench_sla');
  const direct = createDocumentClient({ endpoint: ctx.dynamoEndpoint, region: 'local' });
  const counted = createDocumentClient({ endpoint: ctx.proxy.endpoint, region: 'local' });
  try {
    const at = new Date(NOW.getTime() - 48 * HOUR).toISOString();
    const site = {
      id: 'sla',
      name: 'SLA',
      kind: 'real_estate',
      timezone: 'Asia/Shanghai',
      smsSignature: '管家',
      quietHours: { start: '21:00', end: '09:00' },
      followUpCadence: { firstVisitDays: 2, undecidedDays: 3, H: 2, A: 7, B: 14, C: 30 },
      callbackPlan: [],
      callbackAttempts: 3,
      callbackCapacity: 40,
      smsCareCap: { count: 4, days: 30 },
      smsTemplates: {},
      complaintAnswerHours: { normal: 24, urgent: 4 },
      createdAt: at,
      updatedAt: at,
      version: 1,
    } as const;
    const customer = {
      id: 'sla-customer',
      siteId: 'sla',
      name: '张伟',
      phone: '+8613800138000',
      ownerId: 'rep',
      stage: 'owner',
      leadType: 'direct',
      intentLevel: null,
      channel: 'walk_in',
      needs: {},
      birthday: null,
      smsConsent: false,
      note: null,
      openFollowUpId: null,
      createdAt: at,
      updatedAt: at,
      version: 1,
    } as const;
    const staff = [
      { siteId: 'sla', id: 'sla-mgr', name: '王经理', role: 'manager', phone: '+8613900000001', createdAt: at },
      { siteId: 'sla', id: 'sla-svc', name: '陈静', role: 'service', phone: '+8613900000002', createdAt: at },
    ] as const;
    const complaint = (i: number, respondBy: Date): Complaint =>
      ({
        id: `sla-${String(i).padStart(5, '0')}`,
        number: String(i),
        siteId: 'sla',
        customerId: customer.id,
        deliveryId: null,
        callbackId: null,
        category: 'repair',
        severity: 'normal',
        channel: 'hotline',
        description: '漏水',
        status: 'received',
        assigneeId: null,
        filedBy: { kind: 'staff', id: 'sla-svc' },
        respondBy: respondBy.toISOString(),
        respondedAt: null,
        responseMinutes: null,
        escalated: false,
        warnedAt: null,
        satisfaction: null,
        createdAt: at,
        updatedAt: at,
        version: 1,
      }) as Complaint;
    const complaints: Complaint[] = [];
    for (let i = 0; i < OPEN - NEAR - PAST; i++) complaints.push(complaint(i, new Date(NOW.getTime() + (3 + (i % 400)) * HOUR)));
    for (let i = 0; i < NEAR; i++) complaints.push(complaint(OPEN + i, new Date(NOW.getTime() + HOUR)));
    for (let i = 0; i < PAST; i++) complaints.push(complaint(2 * OPEN + i, new Date(NOW.getTime() - HOUR)));
    await batchWrite(direct, tableName, [
      siteItem(site as never),
      customerItem(customer as never),
      ...staff.map((s) => staffItem(s as never)),
      ...complaints.map(complaintItem),
    ]);

    const store = new DynamoStore(counted, tableName);
    ctx.proxy.reset();
    const started = performance.now();
    const report = await runSlaJob({ store, clock: { now: () => new Date(NOW) }, ids: createIds() });
    const ms = performance.now() - started;
    const requests = ctx.proxy.counts();
    const reads = ctx.proxy.itemsRead();
    const totalRequests = Object.values(requests).reduce((a, b) => a + b, 0);
    const itemsRead = Object.values(reads).reduce((a, r) => a + r.scanned, 0);
    const acted = report.warned + report.escalated;
    const fmt = (n: number) => n.toFixed(2);
    return {
      table: {
        title: `SLA job (runSlaJob) over ${OPEN} unanswered complaints, ${NEAR} within 2 h of their deadline and ${PAST} past it`,
        columns: ['checked', 'warned', 'escalated', 'ddb req', 'req/acted', 'items read', 'read/acted', 'wall ms'],
        rows: [
          [
            String(report.checked),
            String(report.warned),
            String(report.escalated),
            String(totalRequests),
            fmt(totalRequests / acted),
            String(itemsRead),
            fmt(itemsRead / acted),
            ms.toFixed(0),
          ],
        ],
        rightAligned: [0, 1, 2, 3, 4, 5, 6, 7],
        notes: [
          `requests: ${Object.entries(requests)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`,
          'items read = items DynamoDB read for the queries (ScannedCount) and GetItem hits, from the proxy',
        ],
      },
      figures: { sla: { report, requests, itemsRead, acted, ms } },
    };
  } finally {
    direct.destroy();
    counted.destroy();
  }
}
