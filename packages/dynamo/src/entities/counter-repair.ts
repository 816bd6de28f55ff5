import { SERVICE_FIGURES, VersionConflictError, type CounterTarget, type RebuildStore } from '@guanjia/core';
import type { Key } from '../key-parts.ts';
import type { TableAccess } from '../table-access.ts';
import type { GuardedWrite } from '../transact.ts';
import { figuresKey, labels, registrationKey, serviceSiteMarker } from './counters.ts';
import { gaugeKey, monthKey } from './customer-history.ts';
import { referralFiguresKey, referralLabels } from './referrals.ts';

/** The counter item a target names, with the labels every write of it sets. */
function itemOf(target: CounterTarget): { key: Key; labels: Record<string, string> } {
  switch (target.kind) {
    case 'day':
      return { key: figuresKey(target.siteId, target.day, target.staffId), labels: labels(target) };
    case 'registrations': {
      const { kind: _, ...r } = target;
      return { key: registrationKey(r), labels: { type: 'registrations', ...r } };
    }
    case 'referrals':
      return { key: referralFiguresKey(target), labels: referralLabels(target) };
    case 'lead_gauge':
      return { key: gaugeKey(target.siteId, target.staffId), labels: { type: 'lead_gauge', siteId: target.siteId, staffId: target.staffId } };
    case 'lead_month':
      return {
        key: monthKey(target.siteId, target.month, target.staffId),
        labels: { type: 'lead_month', siteId: target.siteId, staffId: target.staffId, month: target.month },
      };
  }
}

/**
 * A counter set to a value, under the condition that each figure still holds what the rebuild
 * read: the facts only ever add, so a figure that moved since had a fact land, and setting it
 * would lose that fact.
 */
function setWrite(target: CounterTarget, values: Record<string, number>, expected: Record<string, number>): GuardedWrite {
  const { key, labels: fixed } = itemOf(target);
  const names: Record<string, string> = {};
  const attributeValues: Record<string, unknown> = {};
  const sets: string[] = [];
  const conditions: string[] = [];
  Object.entries(values).forEach(([figure, value], i) => {
    names[`#f${i}`] = figure;
    attributeValues[`:v${i}`] = value;
    sets.push(`#f${i} = :v${i}`);
    const was = expected[figure] ?? 0;
    if (was === 0) {
      attributeValues[':zero'] = 0;
      conditions.push(`(attribute_not_exists(#f${i}) OR #f${i} = :zero)`);
    } else {
      attributeValues[`:e${i}`] = was;
      conditions.push(`#f${i} = :e${i}`);
    }
  });
  Object.entries(fixed).forEach(([attribute, value], i) => {
    names[`#l${i}`] = attribute;
    attributeValues[`:l${i}`] = value;
    sets.push(`#l${i} = :l${i}`);
  });
  return {
    Update: {
      Key: key,
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: attributeValues,
    },
    onConditionFailed: () => new VersionConflictError(`counter ${key.PK} ${key.SK} moved during the rebuild`),
  };
}

export function counterRepairStore(t: TableAccess): Pick<RebuildStore, 'setCounters'> {
  return {
    async setCounters(target, values, expected) {
      const writes = [setWrite(target, values, expected)];
      const countsService = SERVICE_FIGURES.some((name) => (values[name] ?? 0) > 0);
      if (target.kind === 'day' && countsService) writes.push(serviceSiteMarker(target.siteId, target.day));
      try {
        await t.write(writes);
        return true;
      } catch (error) {
        if (error instanceof VersionConflictError) return false;
        throw error;
      }
    },
  };
}
