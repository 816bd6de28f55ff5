import { VersionConflictError } from './errors.ts';

/**
 * Read-modify-write under optimistic locking: when another request changed the record
 * first, read it again and redo the change rather than fail a busy sales office.
 */
export async function withVersionRetry<T>(attempt: () => Promise<T>, tries = 6): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof VersionConflictError) || i >= tries) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * i));
    }
  }
}
