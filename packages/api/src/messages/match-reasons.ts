import type { MatchReason } from '@guanjia/core';
import type { Language } from './language.ts';

type Say = (p: MatchReason['params']) => string;

/** 14,400: grouped as reps read amounts aloud, in either language. */
const n = (value: string | number | undefined) => Number(value ?? 0).toLocaleString('en-US');
const zhList = (value: string | number | undefined) => String(value ?? '').replaceAll(', ', '、');

/** Sentences a rep can say to the customer, one per reason code, in each language. */
const REASONS: Record<Language, Record<MatchReason['code'], Say>> = {
  zh: {
    fee_within_budget: (p) => `设计费 ${p.area}㎡×${p.feePerM2}元=${n(p.fee)}元，在预算内`,
    fee_over_budget: (p) => `设计费 ${p.area}㎡×${p.feePerM2}元=${n(p.fee)}元，超出设计预算${n(p.designBudget)}元`,
    fee_unknown: (p) => `设计费每平米${p.feePerM2}元；客户面积或预算未知，尚无法核算`,
    style_match: (p) => `擅长您喜欢的风格：${zhList(p.styles)}`,
    style_no_match: (p) => `不以您喜欢的风格见长（${zhList(p.styles)}）`,
    style_not_asked: () => '您暂未提出风格要求',
    capacity_left: (p) => `今年还可接${p.remaining}位客户（每年最多${p.capacity}位）`,
    capacity_full: (p) => `今年已接满（每年最多${p.capacity}位）`,
    fewer_assignments: (p) => `与同等人选相当，近一年接单较少（${p.count}位），优先安排`,
  },
  en: {
    fee_within_budget: (p) => `Design fee ${p.area} m² × ${p.feePerM2} yuan = ${n(p.fee)} yuan, within the budget`,
    fee_over_budget: (p) => `Design fee ${p.area} m² × ${p.feePerM2} yuan = ${n(p.fee)} yuan, over the design budget of ${n(p.designBudget)} yuan`,
    fee_unknown: (p) => `Design fee ${p.feePerM2} yuan per m²; without the area or budget it cannot be worked out yet`,
    style_match: (p) => `Works in the styles you like: ${p.styles}`,
    style_no_match: (p) => `Not known for the styles you like (${p.styles})`,
    style_not_asked: () => 'You have not named a style yet',
    capacity_left: (p) => `Can take ${p.remaining} more customers this year (at most ${p.capacity} a year)`,
    capacity_full: (p) => `Fully booked this year (at most ${p.capacity} a year)`,
    fewer_assignments: (p) => `As good a fit as the others, with fewer customers in the last year (${p.count}), so first in turn`,
  },
};

export const sayReason = (language: Language, reason: MatchReason): { code: MatchReason['code']; params: MatchReason['params']; text: string } => ({
  ...reason,
  text: REASONS[language][reason.code](reason.params),
});
