import { startDynamoLocal, type DynamoExit, type DynamoLocal, type DynamoLocalOptions } from './dynamo-local.ts';

/** DynamoDB Local died more often than a restart can fix, or could not be started again. */
export class DynamoGaveUpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DynamoGaveUpError';
  }
}

export interface SupervisedDynamo {
  endpoint: string;
  port: number;
  /** Settles only when the supervisor gives up; the runtime must then stop. */
  gaveUp: Promise<DynamoGaveUpError>;
  stop(): Promise<void>;
}

export interface SupervisorOptions {
  log?: (line: string) => void;
  /** Deaths within `windowMs` after which restarting stops: a JVM that keeps dying will not heal. */
  maxDeaths?: number;
  windowMs?: number;
  /** For tests: what starts one DynamoDB Local. */
  start?: (options: DynamoLocalOptions) => Promise<DynamoLocal>;
  now?: () => number;
}

export const MAX_DEATHS = 3;
export const DEATH_WINDOW_MS = 60_000;

function how(exit: DynamoExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code ?? 'unknown'}`;
}

/**
 * DynamoDB Local, started again on the same port and database folder when it dies, so the
 * clients built on its endpoint carry on once it answers. Until then requests fail fast and
 * the API answers 503.
 */
export async function superviseDynamoLocal(options: DynamoLocalOptions, supervisor: SupervisorOptions = {}): Promise<SupervisedDynamo> {
  const start = supervisor.start ?? startDynamoLocal;
  const log = supervisor.log ?? (() => {});
  const now = supervisor.now ?? Date.now;
  const maxDeaths = supervisor.maxDeaths ?? MAX_DEATHS;
  const windowMs = supervisor.windowMs ?? DEATH_WINDOW_MS;

  let current = await start(options);
  // Restarts must come back where the clients look for it.
  const port = current.port;
  let stopping = false;
  let giveUp: (error: DynamoGaveUpError) => void = () => {};
  const gaveUp = new Promise<DynamoGaveUpError>((done) => (giveUp = done));
  const deaths: number[] = [];
  // A stop that comes during a restart waits for it, so no JVM is started behind its back.
  let restarting: Promise<void> = Promise.resolve();

  const watch = (dynamo: DynamoLocal) => {
    void dynamo.exited.then((exit) => (restarting = restart(dynamo, exit)));
  };
  const restart = async (dynamo: DynamoLocal, exit: DynamoExit): Promise<void> => {
    if (stopping || dynamo !== current) return;
    const at = now();
    deaths.push(at);
    while (deaths.length && deaths[0]! <= at - windowMs) deaths.shift();
    if (deaths.length >= maxDeaths) {
      giveUp(new DynamoGaveUpError(`DynamoDB Local died ${deaths.length} times within ${windowMs / 1000} s (last: ${how(exit)}); not restarting it again`));
      return;
    }
    log(`DynamoDB Local stopped unexpectedly (${how(exit)}); restarting it on port ${port}...`);
    try {
      const next = await start({ ...options, port });
      if (stopping) {
        await next.stop();
        return;
      }
      current = next;
      watch(next);
      log('DynamoDB Local is back.');
    } catch (error) {
      giveUp(
        new DynamoGaveUpError(`DynamoDB Local died (${how(exit)}) and could not be started again: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  };
  watch(current);

  return {
    endpoint: current.endpoint,
    port,
    gaveUp,
    stop: async () => {
      stopping = true;
      await restarting;
      await current.stop();
    },
  };
}
