import { ConflictError, VersionConflictError, type ComplaintEntry, type FollowUpSwap, type Interaction } from '@guanjia/core';
import { complaintEntryItem, interactionItem, taskItem } from './items.ts';
import { complaintKey, customerKey } from './keys.ts';
import { putNew, putVersioned, type GuardedWrite } from './transact.ts';

/**
 * Writes that add to a record without taking its version, so that two of them at once both
 * land: each is conditioned only on what it depends on, never on the other appends.
 */

/** A note on a complaint, written while the complaint is still in the state the note was judged on. */
export function complaintNoteWrites(entry: ComplaintEntry): GuardedWrite[] {
  return [
    {
      ConditionCheck: {
        Key: complaintKey(entry.complaintId),
        ConditionExpression: '#status = :state',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':state': entry.fromState },
      },
      onConditionFailed: () => new VersionConflictError(`complaint ${entry.complaintId} is no longer ${entry.fromState}`, { id: entry.complaintId }),
    },
    putNew(complaintEntryItem(entry), () => new ConflictError(`complaint entry ${entry.id} exists already`, { id: entry.id })),
  ];
}

/**
 * An interaction, and with it the follow-up swap when there is one. The customer's pointer
 * moves only while it still names the follow-up the contact saw, and only the pointer, the
 * intent level and the dates are written, so an edit of the customer made meanwhile stays.
 * The version still moves, so that a read-modify-write of the whole customer notices.
 */
export function interactionWrites(interaction: Interaction, swap: FollowUpSwap | null): GuardedWrite[] {
  const writes: GuardedWrite[] = [putNew(interactionItem(interaction), () => new ConflictError(`interaction ${interaction.id} exists already`, { id: interaction.id }))];
  if (!swap) return writes;
  const moved = () => new VersionConflictError(`the follow-up of customer ${interaction.customerId} was changed by someone else`, { id: interaction.customerId });
  if (swap.close) writes.push(putVersioned(taskItem(swap.close.task), swap.close.expectedVersion, moved));
  if (swap.open) writes.push(putNew(taskItem(swap.open), () => new ConflictError(`task ${swap.open!.id} exists already`, { id: swap.open!.id })));
  const names: Record<string, string> = { '#open': 'openFollowUpId', '#at': 'updatedAt', '#version': 'version' };
  const values: Record<string, unknown> = { ':to': swap.to, ':at': swap.at, ':one': 1 };
  let set = '#open = :to, #at = :at, #version = #version + :one';
  if (swap.intentLevel !== undefined) {
    set += ', #level = :level';
    names['#level'] = 'intentLevel';
    values[':level'] = swap.intentLevel;
  }
  let condition: string;
  if (swap.from === null) {
    condition = 'attribute_exists(PK) AND (attribute_not_exists(#open) OR attribute_type(#open, :null))';
    values[':null'] = 'NULL';
  } else {
    condition = '#open = :from';
    values[':from'] = swap.from;
  }
  writes.push({
    Update: { Key: customerKey(interaction.customerId), UpdateExpression: `SET ${set}`, ConditionExpression: condition, ExpressionAttributeNames: names, ExpressionAttributeValues: values },
    onConditionFailed: moved,
  });
  return writes;
}
