import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import { Origin } from '@guanjia/api/cors-policy';
import { DomainSettings, domainRegionProblems } from './domain-settings.ts';

const retention = z
  .number()
  .int()
  .refine(
    (days) => (Object.values(RetentionDays) as unknown[]).includes(days),
    'log retention must be a number of days CloudWatch Logs offers (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, …)',
  );

/**
 * What differs between stages, read from the CDK context key `guanjia:<stage>` (see cdk.json)
 * and checked here, so a typo stops `cdk synth` instead of reaching a deployed stack.
 */
export const StageSettings = z
  .object({
    /** Web origins of the console and the owners' web pages; the mini-program needs none. */
    allowedOrigins: z.array(Origin).default([]),
    /** Where alarms go; a stage without one still has the topic, with no subscriber. */
    alarmEmail: z.string().email().optional(),
    logRetentionDays: retention.default(30),
    sms: z
      .object({
        /** Shown as the sender where the destination country supports sender ids (not mainland China). */
        senderId: z
          .string()
          .regex(/^[A-Za-z0-9]{1,11}$/, 'a sender id is 1-11 letters or digits')
          .optional(),
        /** The account's SNS SMS rate, messages per second, that the dispatchers together never exceed. */
        maxPerSecond: z.number().int().min(1).max(1000).default(20),
        /** Dispatcher instances at once; each sends at most maxPerSecond / concurrency. */
        dispatcherConcurrency: z.number().int().min(1).max(10).default(1),
      })
      .strict()
      .default({ maxPerSecond: 20, dispatcherConcurrency: 1 })
      .refine((s) => s.maxPerSecond >= s.dispatcherConcurrency, 'sms.maxPerSecond must allow at least one message per second to each dispatcher'),
    api: z
      .object({
        /** Steady requests per second and burst for each HTTP API stage. */
        rateLimit: z.number().int().min(1).default(200),
        burstLimit: z.number().int().min(1).default(400),
      })
      .strict()
      .default({ rateLimit: 200, burstLimit: 400 }),
    /** Custom domains of the HTTP APIs; the mini-program can call only a domain of your own. */
    domain: DomainSettings.optional(),
    /** Production stages keep their user pools and logs when the stack is deleted. */
    retainOnDelete: z.boolean().default(true),
  })
  .strict();

export type StageSettings = z.infer<typeof StageSettings>;

export const settingsKey = (stage: string): string => `guanjia:${stage}`;

/**
 * The settings of a stage; a stage with no entry runs on the defaults. `region` is the
 * stack's, when known, for the checks that depend on it (a custom domain's certificate).
 */
export function parseStageSettings(stage: string, raw: unknown, region?: string): StageSettings {
  // `cdk deploy -c guanjia:prod='{…}'` hands the value over as a string of JSON.
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw);
    } catch {
      throw new Error(`invalid stage settings: ${settingsKey(stage)} is not JSON`);
    }
  }
  const refuse = (issues: { path: PropertyKey[]; message: string }[]) => {
    const problems = issues.map((i) => `${[settingsKey(stage), ...i.path.map(String)].join('.')}: ${i.message}`).join('; ');
    return new Error(`invalid stage settings: ${problems}`);
  };
  const result = StageSettings.safeParse(raw ?? {});
  if (!result.success) throw refuse(result.error.issues);
  const regional = domainRegionProblems(result.data.domain, region);
  if (regional.length > 0) throw refuse(regional);
  return result.data;
}
