import type { JobState, JobStateStore } from '@guanjia/core';
import type { Item } from '../items.ts';
import type { Key } from '../key-parts.ts';
import type { TableAccess } from '../table-access.ts';
import { putNewOrVersioned, versionConflict } from '../transact.ts';

const jobStateKey = (job: string): Key => ({ PK: `JOB#${job}`, SK: 'STATE' });
export const jobStateItem = (j: JobState): Item => ({ ...jobStateKey(j.job), type: 'job_state', ...j });

export function jobStateStore(t: TableAccess): JobStateStore {
  return {
    getJobState: (job) => t.get(jobStateKey(job), true),
    saveJobState: (state, expectedVersion) => t.write([putNewOrVersioned(jobStateItem(state), expectedVersion, versionConflict('job state', state.job))]),
  };
}
