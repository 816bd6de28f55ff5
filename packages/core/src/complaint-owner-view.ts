import type { Context } from './context.ts';
import type { Actor, Complaint, ComplaintEntry, StaffRole } from './model.ts';

/**
 * Who acted, as an owner is shown it: the staff member's name and role (客服专员 陈静), never
 * their id, which is the company's key to its people; the owner themselves and a job have no
 * name. A staff member no longer on the site's list (an admin, say) is shown by kind alone.
 */
export interface OwnerActor {
  kind: Actor['kind'];
  name: string | null;
  role: StaffRole | null;
}

/**
 * A complaint as its owner reads it: how staff route, chase and measure it stays with the staff.
 * `escalated` stays: the API's contract names it on every complaint, the owner's included.
 */
export type OwnerComplaint = Omit<Complaint, 'filedBy' | 'assigneeId' | 'warnedAt' | 'callbackId' | 'responseMinutes' | 'version'> & {
  filedBy: OwnerActor;
};

/** A timeline entry as its owner reads it: an assignment names the person, not their id. */
export type OwnerComplaintEntry = Omit<ComplaintEntry, 'by' | 'internal' | 'details' | 'complaintId'> & {
  by: OwnerActor;
  details: { satisfaction?: number; assignee?: OwnerActor };
};

type Names = Map<string, Map<string, { name: string; role: StaffRole }>>;

/**
 * The names of the staff the owner is shown, one Query of each site's list where staff acted
 * (an owner's complaints sit at a site or two), none where only the owner and jobs did.
 */
async function staffNames(ctx: Context, wanted: { siteId: string; actors: Actor[] }[]): Promise<Names> {
  const sites = [...new Set(wanted.filter((w) => w.actors.some((a) => a.kind === 'staff')).map((w) => w.siteId))];
  const lists = await Promise.all(sites.map(async (siteId) => [siteId, await ctx.store.listStaff(siteId)] as const));
  return new Map(lists.map(([siteId, staff]) => [siteId, new Map(staff.map((s) => [s.id, { name: s.name, role: s.role }]))]));
}

function actorOf(names: Names, siteId: string, actor: Actor): OwnerActor {
  const known = actor.kind === 'staff' ? names.get(siteId)?.get(actor.id) : undefined;
  return { kind: actor.kind, name: known?.name ?? null, role: known?.role ?? null };
}

function complaintOf(names: Names, complaint: Complaint): OwnerComplaint {
  const { filedBy, assigneeId: _a, warnedAt: _w, callbackId: _c, responseMinutes: _r, version: _v, ...shown } = complaint;
  return { ...shown, filedBy: actorOf(names, complaint.siteId, filedBy) };
}

function entryOf(names: Names, siteId: string, entry: ComplaintEntry): OwnerComplaintEntry {
  const { by, internal: _i, details, complaintId: _c, ...shown } = entry;
  const seen: OwnerComplaintEntry['details'] = {};
  if (typeof details.satisfaction === 'number') seen.satisfaction = details.satisfaction;
  if (typeof details.assigneeId === 'string') seen.assignee = actorOf(names, siteId, { kind: 'staff', id: details.assigneeId });
  return { ...shown, by: actorOf(names, siteId, by), details: seen };
}

const assigned = (entry: ComplaintEntry): Actor[] => (typeof entry.details.assigneeId === 'string' ? [{ kind: 'staff', id: entry.details.assigneeId }] : []);

/** Complaints as their owner reads them. */
export async function complaintsForOwner(ctx: Context, complaints: Complaint[]): Promise<OwnerComplaint[]> {
  const names = await staffNames(
    ctx,
    complaints.map((c) => ({ siteId: c.siteId, actors: [c.filedBy] })),
  );
  return complaints.map((c) => complaintOf(names, c));
}

/** One complaint and the entries of its timeline the owner may read (no internal ones reach here), as the owner reads them. */
export async function complaintForOwner(
  ctx: Context,
  complaint: Complaint,
  timeline: ComplaintEntry[],
): Promise<OwnerComplaint & { timeline: OwnerComplaintEntry[] }> {
  const actors = [complaint.filedBy, ...timeline.flatMap((e) => [e.by, ...assigned(e)])];
  const names = await staffNames(ctx, [{ siteId: complaint.siteId, actors }]);
  return { ...complaintOf(names, complaint), timeline: timeline.filter((e) => !e.internal).map((e) => entryOf(names, complaint.siteId, e)) };
}
