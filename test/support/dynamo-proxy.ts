import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const SCAN_TARGET = 'DynamoDB_20120810.Scan';
export const SCAN_FORBIDDEN_MESSAGE = 'Scan is forbidden in Guanjia (no Scan in a request path or a job)';
/**
 * Scans of tables named like this are still refused, but counted apart, so that the test
 * proving the refusal does not trip the per-test scan guard.
 */
export const GUARD_PROBE_PREFIX = 'guard_probe_';
export const GUARD_PROBE_TARGET = `${SCAN_TARGET}#${GUARD_PROBE_PREFIX}`;
export const COUNTS_PATH = '/__guard/counts';

export interface DynamoProxy {
  endpoint: string;
  /** Requests seen, by their `X-Amz-Target` (refused Scans included). */
  counts(): Record<string, number>;
  reset(): void;
  close(): Promise<void>;
}

/**
 * A pass-through HTTP proxy in front of DynamoDB: it counts the operations it forwards and
 * refuses every Scan, so that "no Scan" is a fact checked by the tests, not a convention.
 */
export async function startDynamoProxy(targetEndpoint: string): Promise<DynamoProxy> {
  const target = new URL(targetEndpoint);
  const agent = new Agent({ keepAlive: true });
  let counts: Record<string, number> = {};

  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === COUNTS_PATH) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(counts));
      return;
    }
    const operation = String(req.headers['x-amz-target'] ?? 'none');
    if (operation === SCAN_TARGET) {
      void refuseScan(req, res, (key) => (counts[key] = (counts[key] ?? 0) + 1));
      return;
    }
    counts[operation] = (counts[operation] ?? 0) + 1;
    const upstream = request(
      { agent, host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy could not reach DynamoDB: ${error.message}`);
    });
    req.pipe(upstream);
  });

  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts }),
    reset: () => void (counts = {}),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((closed) => server.close(() => closed()));
      agent.destroy();
    },
  };
}

async function refuseScan(req: IncomingMessage, res: ServerResponse, count: (key: string) => void): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let tableName = '';
  try {
    tableName = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { TableName?: unknown }).TableName ?? '');
  } catch {
    // An unreadable Scan is refused all the same.
  }
  count(tableName.startsWith(GUARD_PROBE_PREFIX) ? GUARD_PROBE_TARGET : SCAN_TARGET);
  res
    .writeHead(400, { 'content-type': 'application/x-amz-json-1.0' })
    .end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ValidationException', message: SCAN_FORBIDDEN_MESSAGE }));
}
