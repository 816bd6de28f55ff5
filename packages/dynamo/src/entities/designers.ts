import type { DesignerAssignment, DesignerProfile, DesignerStore } from '@guanjia/core';
import type { Item } from '../items.ts';
import { bySortable, sitePk, type Key } from '../key-parts.ts';
import { partitionQuery } from '../queries.ts';
import { handoverCountsAdd } from './handovers.ts';
import type { TableAccess } from '../table-access.ts';
import { exists, putNew, putNewOrVersioned, putVersioned, versionConflict } from '../transact.ts';
import { customerSave } from './customers.ts';
import { historyWrites } from './customer-history.ts';

/**
 * A designer's profile sits in its site's partition beside the staff item, so that a match
 * reads the site's designers, with the load each carries, in one Query.
 */
const PROFILE_PREFIX = 'PROFILE#';
const profilesOfSitePk = sitePk;
const profileKey = (siteId: string, staffId: string): Key => ({ PK: sitePk(siteId), SK: `${PROFILE_PREFIX}${staffId}` });

export const profilesOfSiteQuery = (siteId: string) => partitionQuery(profilesOfSitePk(siteId), PROFILE_PREFIX, true);

/** A designer's assignments sit in a partition of their own, in the order they were made: no hot site partition. */
const ASSIGNMENT_PREFIX = 'ASSIGN#';
const assignmentsOfDesignerPk = (siteId: string, staffId: string) => `SITE#${siteId}#DESIGNER#${staffId}`;
const assignmentKey = (a: DesignerAssignment): Key => ({
  PK: assignmentsOfDesignerPk(a.siteId, a.staffId),
  SK: `${ASSIGNMENT_PREFIX}${bySortable(a.at, a.customerId)}`,
});

/** Every assignment the designer was given at the site, oldest first (the customer may have moved on since). */
export const assignmentsOfDesignerQuery = (siteId: string, staffId: string) =>
  partitionQuery(assignmentsOfDesignerPk(siteId, staffId), ASSIGNMENT_PREFIX, true);

export const designerProfileItem = (p: DesignerProfile): Item => ({ ...profileKey(p.siteId, p.staffId), type: 'designer_profile', ...p });
export const designerAssignmentItem = (a: DesignerAssignment): Item => ({ ...assignmentKey(a), type: 'designer_assignment', ...a });

export function designerStore(t: TableAccess): DesignerStore {
  return {
    getDesignerProfile: (siteId, staffId) => t.get(profileKey(siteId, staffId), true),
    saveDesignerProfile: (profile, expectedVersion) =>
      t.write([putNewOrVersioned(designerProfileItem(profile), expectedVersion, versionConflict('designer profile', profile.staffId))]),
    listDesignerProfiles: (siteId) => t.all(profilesOfSiteQuery(siteId)),
    assignDesigner: ({ customer, expectedVersion, profile, profileVersion, assignment, released, handoverId, history }) =>
      t.write([
        customerSave(customer, expectedVersion),
        putVersioned(designerProfileItem(profile), profileVersion, versionConflict('designer profile', profile.staffId)),
        ...(released
          ? [putVersioned(designerProfileItem(released.profile), released.profileVersion, versionConflict('designer profile', released.profile.staffId))]
          : []),
        putNew(designerAssignmentItem(assignment), exists('designer assignment', `${assignment.staffId}/${assignment.customerId}`)),
        ...historyWrites(history),
        ...(handoverId ? [handoverCountsAdd(handoverId, { designs: 1 })] : []),
      ]),
  };
}
