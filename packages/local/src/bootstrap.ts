import { z } from 'zod';
import { addStaff, ConflictError, createSite, type Context, type Principal } from '@guanjia/core';
import { Id } from '@guanjia/api/schemas/common';
import { SiteInputSchema, StaffInputSchema } from '@guanjia/api/schemas/sites';

/**
 * The first admin, site and staff of a deployed stage. Each person gets a Cognito account
 * whose username and immutable `custom:staffId` are the id ops chose, and the Guanjia
 * staff record has that same id: the API takes `custom:staffId` as who the token is, so the
 * two meet. The Guanjia side goes through the use cases, under the same rules as the API.
 */

/** The staff user pool, as much of it as bootstrapping needs; the tests stand one in. */
export interface StaffDirectory {
  /** Null when there is no such user. */
  getUser(username: string): Promise<DirectoryUser | null>;
  /** Cognito mails the temporary password to the email attribute. */
  createUser(username: string, attributes: Record<string, string>): Promise<void>;
  addToGroup(username: string, group: string): Promise<void>;
  updateAttributes(username: string, attributes: Record<string, string>): Promise<void>;
}

export interface DirectoryUser {
  attributes: Record<string, string>;
  groups: string[];
}

const StaffAccount = StaffInputSchema.extend({ email: z.email() }).strict();

export const BootstrapPlan = z
  .object({
    admin: z.object({ id: Id.default('admin'), email: z.email() }).strict(),
    /** The id is required: a rerun must find the same site again. */
    site: SiteInputSchema.extend({ id: Id }).strict().optional(),
    staff: z.array(StaffAccount).default([]),
  })
  .strict()
  .refine((plan) => plan.staff.length === 0 || plan.site, { message: 'staff are added to a site: name one', path: ['site'] })
  .refine(
    (plan) => {
      const ids = [plan.admin.id, ...plan.staff.map((s) => s.id)];
      return new Set(ids).size === ids.length;
    },
    { message: 'each person once: an id is one Cognito username and one staff record', path: ['staff'] },
  );

export type BootstrapPlan = z.infer<typeof BootstrapPlan>;

export type Outcome = 'created' | 'exists' | 'updated';
export interface BootstrapStep {
  what: string;
  outcome: Outcome;
}

/** Reads `id:name:role:email[:phone]`, the command line's way of naming one staff member. */
export function parseStaffSpec(spec: string): { id: string; name: string; role: string; email: string; phone?: string } {
  const [id, name, role, email, phone, ...rest] = spec.split(':').map((part) => part.trim());
  if (!id || !name || !role || !email || rest.length > 0) throw new Error(`--staff '${spec}' is not id:name:role:email[:phone]`);
  return { id, name, role, email, ...(phone ? { phone } : {}) };
}

/** Checks the whole plan before anything is written, naming each field at fault. */
export function checkPlan(raw: unknown): BootstrapPlan {
  const result = BootstrapPlan.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `  ${i.path.join('.') || '(plan)'}: ${i.message}`).join('\n');
  throw new Error(`the bootstrap plan is refused:\n${problems}`);
}

const SITES = 'custom:sites';
const STAFF_ID = 'custom:staffId';

/**
 * Makes sure one account exists as asked. A rerun finds it and changes nothing; an account
 * that lacks the role's group or the site is given them (sites are added, never taken away).
 */
async function ensureAccount(directory: StaffDirectory, person: { id: string; email: string; name?: string; group: string; site?: string }): Promise<Outcome> {
  const existing = await directory.getUser(person.id);
  if (!existing) {
    await directory.createUser(person.id, {
      email: person.email,
      // Ops vouch for the address; Cognito mails the temporary password there.
      email_verified: 'true',
      [STAFF_ID]: person.id,
      ...(person.name ? { name: person.name } : {}),
      ...(person.site ? { [SITES]: person.site } : {}),
    });
    await directory.addToGroup(person.id, person.group);
    return 'created';
  }
  const staffId = existing.attributes[STAFF_ID];
  if (staffId !== person.id) {
    // The attribute is immutable: an account made without it (or with another) cannot be mended.
    throw new Error(
      `the Cognito user '${person.id}' exists with ${staffId ? `staff id '${staffId}'` : 'no staff id'}; its tokens would not map to staff record '${person.id}'. Choose another id, or delete that user first.`,
    );
  }
  let outcome: Outcome = 'exists';
  if (!existing.groups.includes(person.group)) {
    await directory.addToGroup(person.id, person.group);
    outcome = 'updated';
  }
  const sites = (existing.attributes[SITES] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (person.site && !sites.includes(person.site)) {
    await directory.updateAttributes(person.id, { [SITES]: [...sites, person.site].join(',') });
    outcome = 'updated';
  }
  return outcome;
}

/** Runs a use case that creates a record; one that is there already is left as it is. */
async function ensureRecord(create: () => Promise<unknown>): Promise<Outcome> {
  try {
    await create();
    return 'created';
  } catch (error) {
    if (error instanceof ConflictError) return 'exists';
    throw error;
  }
}

/**
 * Creates what the plan names and is missing, in an order a rerun can finish: the Guanjia
 * records first (refusals come before anyone is mailed a password), then the accounts.
 */
export async function bootstrap(deps: { ctx: Context; directory: StaffDirectory }, raw: unknown): Promise<BootstrapStep[]> {
  const plan = checkPlan(raw);
  const { ctx, directory } = deps;
  // The records are written as the admin being made, so their history names a real account.
  const admin: Principal = { sub: plan.admin.id, role: 'admin', sites: [] };
  const steps: BootstrapStep[] = [];
  const step = (what: string, outcome: Outcome) => steps.push({ what, outcome });

  if (plan.site) {
    const site = plan.site;
    step(`site ${site.id}`, await ensureRecord(() => createSite(ctx, admin, site)));
    for (const staff of plan.staff) {
      const { email: _email, ...input } = staff;
      step(`staff record ${site.id}/${staff.id} (${staff.role})`, await ensureRecord(() => addStaff(ctx, admin, site.id, input)));
    }
  }
  step(`Cognito user ${plan.admin.id} (admin)`, await ensureAccount(directory, { id: plan.admin.id, email: plan.admin.email, group: 'admin' }));
  for (const staff of plan.staff) {
    const account = { id: staff.id, email: staff.email, name: staff.name, group: staff.role, ...(plan.site ? { site: plan.site.id } : {}) };
    step(`Cognito user ${staff.id} (${staff.role})`, await ensureAccount(directory, account));
  }
  return steps;
}
