/**
 * The metrics the functions emit and the stack alarms on, named once: an alarm on a name
 * no function emits would never fire. This module has no side effects, so infra imports it.
 */
export const METRICS_NAMESPACE = 'Guanjia';

/** Emitted with dimensions `service` and `job` after each run of a job that finished without error. */
export const JOB_SUCCEEDED = 'JobSucceeded';
/** Emitted with dimension `service` by the dispatcher for each message the provider accepted. */
export const SMS_SENT = 'SmsSent';
/** Emitted with dimension `service` by the dispatcher for each message that ended `failed`. */
export const SMS_FAILED = 'SmsFailed';

/** The `service` dimension, and Powertools' service name, of every function in a stage. */
export const serviceName = (stage: string): string => `guanjia-${stage}`;
