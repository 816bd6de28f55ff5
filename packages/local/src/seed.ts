/**
 * The demo site, created through the HTTP app itself so that the seed obeys every rule a
 * client would meet, and never writes an item by hand. Safe to run at every start.
 */

/** What seeding needs of the app: Hono's `app.request`. */
export interface RequestTarget {
  request(path: string, init: RequestInit): Response | Promise<Response>;
}

export const DEMO_SITE = {
  id: 'demo',
  name: '示范售楼处 Demo Sales Office',
  kind: 'real_estate',
  smsSignature: '管家示范',
} as const;

/**
 * With phones, so that the SLA job's warnings and escalations and the manager's evening digest
 * are sent (to the console) in the demo: staff without a phone are skipped. Numbers of a block
 * apart from the demo's customers (136 0000 ....) and from the banner's example (138...).
 */
export const DEMO_STAFF = [
  { id: 'mgr-demo', name: '王经理', role: 'manager', phone: '13900000001' },
  { id: 'rep-li', name: '李娜', role: 'sales', phone: '13900000002' },
  { id: 'rep-zhao', name: '赵强', role: 'sales', phone: '13900000003' },
  { id: 'svc-chen', name: '陈静', role: 'service', phone: '13900000004' },
  { id: 'des-wang', name: '王磊', role: 'designer', phone: '13900000005' },
] as const;

export const DEMO_DUTY = ['rep-li', 'rep-zhao'] as const;

export interface SeedResult {
  /** True when this run created the site, i.e. the data folder was new. */
  siteCreated: boolean;
  staffCreated: string[];
}

export class SeedError extends Error {
  constructor(method: string, path: string, status: number, body: string) {
    super(`Seeding the demo site failed: ${method} ${path} answered ${status}: ${body.slice(0, 500)}`);
    this.name = 'SeedError';
  }
}

export async function seedDemo(app: RequestTarget, adminToken: string): Promise<SeedResult> {
  /** Whether it was created: 409 means it exists already, anything else not 2xx is fatal. */
  const send = async (method: string, path: string, body: unknown): Promise<boolean> => {
    const response = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.ok) return true;
    if (response.status === 409 && method === 'POST') return false;
    throw new SeedError(method, path, response.status, await response.text());
  };

  const siteCreated = await send('POST', '/v1/sites', DEMO_SITE);
  const staffCreated: string[] = [];
  for (const staff of DEMO_STAFF) {
    if (await send('POST', `/v1/sites/${DEMO_SITE.id}/staff`, staff)) staffCreated.push(staff.id);
  }
  // Only on the first run: a rotation changed since belongs to whoever changed it.
  if (siteCreated) await send('PUT', `/v1/sites/${DEMO_SITE.id}/reception/duty`, { staffIds: DEMO_DUTY });
  return { siteCreated, staffCreated };
}
