import { z } from '@hono/zod-openapi';
import { DESIGNER_LEVELS, SITE_BOUNDS } from '@guanjia/core';
import { StaffId, text } from './common.ts';

const whole = ({ min, max }: { min: number; max: number }) => z.number().int().min(min).max(max);
const Fee = whole(SITE_BOUNDS.designerFee);
const Level = z.enum(DESIGNER_LEVELS).openapi({ description: '普通 / 优秀 / 副主任 / 主任', example: 'deputy_chief' });

export const DesignerFeesSchema = z
  .object({
    standard: Fee.openapi({ example: 30 }),
    excellent: Fee.openapi({ example: 60 }),
    deputy_chief: Fee.openapi({ example: 120 }),
    chief: Fee.openapi({ example: 200 }),
  })
  .partial()
  .strict()
  .openapi({ description: '设计费, 元/㎡ by designer level; defaults 30 / 60 / 120 / 200 (000)' });

/** The site settings matching runs on, as a site is created or changed with them. */
export const DesignerSettings = {
  designerFees: DesignerFeesSchema.optional(),
  designBudgetPercent: whole(SITE_BOUNDS.designBudgetPercent)
    .optional()
    .openapi({ description: "the share of a customer's budget (needs.budget), in percent, the design fee may take (default 10)", example: 10 }),
  matchMargin: whole(SITE_BOUNDS.matchMargin).optional().openapi({
    description:
      'match scores (of 100) this close are equal, and the designer with fewer assignments in the last 365 days goes first (效率优先、兼顾公平; default 5)',
    example: 5,
  }),
};

const Styles = z.array(text(30).openapi({ example: '现代简约' })).max(20);

export const ProfileInputSchema = z
  .object({
    level: Level,
    styles: Styles.openapi({ example: ['现代简约', '北欧'] }),
    capacityPerYear: whole({ min: 1, max: 500 })
      .optional()
      .openapi({ description: 'customers a year at most; default by level: 40 / 30 / 15 / 15 (000: a 副主任 serves no more than 15)', example: 15 }),
    languages: z
      .array(text(30))
      .max(10)
      .optional()
      .openapi({ example: ['普通话', '粤语'] }),
    notes: text(500).nullable().optional().openapi({ example: '擅长大平层，沟通细致' }),
  })
  .strict()
  .openapi('DesignerProfileInput');

export const ProfileSchema = z
  .object({
    siteId: z.string(),
    staffId: z.string(),
    name: z.string(),
    level: Level,
    styles: z.array(z.string()),
    capacityPerYear: z.number().int(),
    languages: z.array(z.string()),
    notes: z.string().nullable(),
    assignmentsLastYear: z.number().int().openapi({ description: 'customers assigned in the last 365 days' }),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .openapi('DesignerProfile');

export const MatchInputSchema = z
  .object({ styles: Styles.optional().openapi({ description: 'the styles the customer asks for', example: ['现代简约'] }) })
  .strict()
  .openapi('MatchInput', { example: { styles: ['现代简约'] } });

const ReasonSchema = z.object({
  code: z
    .enum([
      'fee_within_budget',
      'fee_over_budget',
      'fee_unknown',
      'style_match',
      'style_no_match',
      'style_not_asked',
      'capacity_left',
      'capacity_full',
      'fewer_assignments',
    ])
    .openapi({ description: 'stable: a console may word it itself' }),
  params: z.record(z.string(), z.union([z.string(), z.number()])).openapi({ example: { area: 120, feePerM2: 120, fee: 14400, designBudget: 20000 } }),
  text: z.string().openapi({ description: "a sentence a rep can say, in the request's language", example: '设计费 120㎡×120元=14,400元，在预算内' }),
});

export const MatchesSchema = z
  .object({
    candidates: z.array(
      z.object({
        staffId: z.string(),
        name: z.string(),
        level: Level,
        score: z.number().openapi({ description: '0 to 100' }),
        feePerM2: z.number(),
        fee: z.number().nullable().openapi({ description: "area × fee per m², null when the customer's area is unknown" }),
        remaining: z.number().int().openapi({ description: 'customers the designer may still take in this 365-day window' }),
        assignmentsLastYear: z.number().int(),
        reasons: z.array(ReasonSchema),
      }),
    ),
  })
  .openapi('DesignerMatches');

export const AssignInputSchema = z
  .object({ staffId: StaffId.openapi({ example: 'des-wang' }) })
  .strict()
  .openapi('DesignerAssignInput');
