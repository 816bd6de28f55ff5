import type { FieldCode, MessageParams } from '@guanjia/core/errors';
import type { Role } from '@guanjia/core/model';
import type { Action } from '@guanjia/core/reach';

/**
 * The sentences the API itself says in a problem's `detail`. A domain error is looked up as
 * `<code>.<reason>`, then `<code>`, then as its status's general sentence (`status.<n>`), in
 * either language.
 */
export const DETAIL_KEYS = [
  'status.400',
  'status.401',
  'status.403',
  'status.404',
  'status.408',
  'status.409',
  'status.413',
  'status.415',
  'status.422',
  'status.431',
  'status.500',
  'status.501',
  'status.503',
  'no_route',
  'body_too_large',
  'file_too_large',
  'malformed_json',
  'unsupported_upload',
  'token_required',
  'token_invalid',
  'token_npm_header',
  'token_staff_deactivated',
  'idempotency_key_malformed',
  'idempotency_finished',
  'idempotency_pending',
  'idempotency_key_reused',
  'unavailable',
  'internal',
  'validation_failed',
  'forbidden.role_action',
  'forbidden.not_member',
  'forbidden.own_tasks_only',
  'forbidden.own_customers_only',
  'forbidden.own_designs_only',
  'forbidden.owner_event',
  'forbidden.no_phone_in_token',
  'not_found.record',
  'not_found.no_record_for_phone',
  'version_conflict',
  'phone_taken',
  'capacity_reached',
  'complaint_number_taken',
  'conflict.no_one_on_duty',
  'conflict.staff_active',
  'conflict.deactivate_self',
  'handover_running',
  'invalid_transition',
  'invalid_transition.complaint_event',
  'invalid_transition.task_closed',
  'invalid_transition.follow_up_closed',
  'invalid_transition.no_designer',
  'invalid_transition.conflict_settled',
  'invalid_transition.stage_back',
  'invalid_transition.loss_not_lead',
  'invalid_transition.loss_pending',
  'invalid_transition.no_loss_request',
] as const;

export type DetailKey = (typeof DETAIL_KEYS)[number];

type Say = (params: MessageParams) => string;

export interface Catalogue {
  /** A problem's `title`, by status. */
  titles: Record<number, string>;
  /** The fallback title of a status the table does not name. */
  title: string;
  details: Record<DetailKey, Say>;
  /** A field's message; `said` is the rule's own English, which the English catalogue may keep. */
  fields: Record<FieldCode, (params: MessageParams, said: string) => string>;
  roles: Record<Role, string>;
  actions: Record<Action, string>;
  /** Records by the name `visible` and the rules give them (`customer`, `site`). */
  records: Record<string, string>;
  /** Words a detail names (a complaint's state and event, a task's status, a stage), where the language has its own. */
  words: Record<string, string>;
}

export const isDetailKey = (key: string): key is DetailKey => (DETAIL_KEYS as readonly string[]).includes(key);
