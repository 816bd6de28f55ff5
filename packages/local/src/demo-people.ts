import type { IntakeChannel, IntentLevel, LeadType } from '@guanjia/core';

/**
 * The made-up people of the demo history and the dice it is rolled with. The dice are
 * seeded: every data folder gets the same story, told up to its own today.
 */

export function dice(seed: number): () => number {
  let state = seed >>> 0;
  // mulberry32: small, fast and good enough to vary a story.
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(roll: () => number, items: readonly T[]): T => items[Math.floor(roll() * items.length)]!;

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '华', '丽', '强', '平', '建国', '晓燕'];

export const personName = (roll: () => number): string => pick(roll, SURNAMES) + pick(roll, GIVEN);

/** Mobile numbers of a block kept for the demo (136 0000 ....), so no one typing a number of their own collides with one. */
export const demoPhone = (n: number): string => `1360000${String(n).padStart(4, '0')}`;

/** Walk-ins most often, as at a sales office; the other sources by turns. */
export const INTAKE_MIX: IntakeChannel[] = ['walk_in', 'walk_in', 'walk_in', 'phone', 'phone', 'referral', 'event', 'online', 'partner', 'sweep'];

export function leadTypeOf(roll: () => number): LeadType {
  const r = roll();
  return r < 0.15 ? 'key_person' : r < 0.25 ? 'potential' : 'direct';
}

const LEVELS: IntentLevel[] = ['H', 'A', 'B', 'C'];

/** A rep's new reading of a lead after a contact: first rated, warmer, cooler, or unchanged (undefined). */
export function nextLevel(roll: () => number, level: IntentLevel | null): IntentLevel | undefined {
  const r = roll();
  if (level === null) return r < 0.7 ? pick(roll, ['B', 'C', 'A'] as const) : undefined;
  const at = LEVELS.indexOf(level);
  if (r < 0.35 && at > 0) return LEVELS[at - 1];
  if (r < 0.55 && at < LEVELS.length - 1) return LEVELS[at + 1];
  return undefined;
}

export const CONTACT_NOTES = [
  '电话沟通户型与总价',
  '微信发送样板间视频',
  '到访看样板间',
  '约周末带家人复看',
  '咨询贷款政策',
  '对比竞品楼盘',
  '询问车位与物业费',
];
export const COMPLAINT_NOTES: Record<'repair' | 'service' | 'property' | 'quality', string> = {
  repair: '卫生间地漏返味，需要上门检修',
  service: '物业前台态度不好，报修无人跟进',
  property: '小区门禁卡开通太慢',
  quality: '客厅墙面出现裂缝',
};
