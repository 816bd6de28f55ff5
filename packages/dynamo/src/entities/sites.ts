import type { Duty, Site, SiteStore, Staff, Turn } from '@guanjia/core';
import type { Item } from '../items.ts';
import { sitePk, type IndexKeys, type Key } from '../key-parts.ts';
import { onIndex, partitionQuery } from '../queries.ts';
import type { TableAccess } from '../table-access.ts';
import { exists, putNew, putNewOrVersioned, putVersioned, versionConflict } from '../transact.ts';

/** A site's partition holds the site itself, its staff, its duty and the turns of its rotations. */
const siteKey = (id: string): Key => ({ PK: sitePk(id), SK: 'SITE' });

const STAFF_PREFIX = 'STAFF#';
const staffOfSitePk = sitePk;
const staffKey = (siteId: string, id: string): Key => ({ PK: sitePk(siteId), SK: `${STAFF_PREFIX}${id}` });

const dutyKey = (siteId: string): Key => ({ PK: sitePk(siteId), SK: 'DUTY' });
const turnKey = (siteId: string, rotation: string): Key => ({ PK: sitePk(siteId), SK: `TURN#${rotation}` });

/**
 * Every site also sits in one GSI1 partition, so that the jobs that work site by site find
 * them with a Query: the keys travel with the site item and are written with it.
 */
const SITES_PK = 'SITES';
const siteListKeys = (id: string): Partial<IndexKeys> => ({ GSI1PK: SITES_PK, GSI1SK: id });

export const siteItem = (s: Site): Item => ({ ...siteKey(s.id), ...siteListKeys(s.id), type: 'site', ...s });
export const staffItem = (s: Staff): Item => ({ ...staffKey(s.siteId, s.id), type: 'staff', ...s });
export const dutyItem = (d: Duty): Item => ({ ...dutyKey(d.siteId), type: 'duty', ...d });
export const turnItem = (t: Turn): Item => ({ ...turnKey(t.siteId, t.rotation), type: 'turn', ...t });

export function siteStore(t: TableAccess): SiteStore {
  return {
    createSite: (site) => t.write([putNew(siteItem(site), exists('site', site.id))]),
    getSite: (id) => t.get(siteKey(id), false),
    updateSite: (site, expectedVersion) => t.write([putVersioned(siteItem(site), expectedVersion, versionConflict('site', site.id))]),
    listSites: () => t.all(onIndex('GSI1', SITES_PK, { ascending: true })),

    createStaff: (staff) => t.write([putNew(staffItem(staff), exists('staff', staff.id))]),
    getStaff: (siteId, staffId) => t.get(staffKey(siteId, staffId), false),
    listStaff: (siteId) => t.all(partitionQuery(staffOfSitePk(siteId), STAFF_PREFIX, true)),
    pageStaff: (siteId, page) => t.page(partitionQuery(staffOfSitePk(siteId), STAFF_PREFIX, true), page),

    getDuty: (siteId) => t.get(dutyKey(siteId), true),
    // A duty that appeared since the caller saw none is the same race as a moved version.
    saveDuty: (duty, expectedVersion) => t.write([putNewOrVersioned(dutyItem(duty), expectedVersion, versionConflict('duty of site', duty.siteId))]),
    getTurn: (siteId, rotation) => t.get(turnKey(siteId, rotation), true),
    saveTurn: (turn, expectedVersion) => t.write([putNewOrVersioned(turnItem(turn), expectedVersion, versionConflict('turn of site', turn.siteId))]),
  };
}
