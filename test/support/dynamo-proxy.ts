import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

export const SCAN_TARGET = 'DynamoDB_20120810.Scan';
export const SCAN_FORBIDDEN_MESSAGE = 'Scan is forbidden in Guanjia (no Scan in a request path or a job)';
/**
 * Scans of tables named like this are still refused, but counted apart, so that the test
 * proving the refusal does not trip the per-test scan guard.
 */
export const GUARD_PROBE_PREFIX = 'guard_probe_';
export const GUARD_PROBE_TARGET = `${SCAN_TARGET}#${GUARD_PROBE_PREFIX}`;
export const COUNTS_PATH = '/__guard/counts';

/** Items DynamoDB read to answer requests of one kind. */
export interface ItemsRead {
  /** Items handed back: a Query's `Count`, 1 per GetItem that found its item. */
  returned: number;
  /** Items DynamoDB went through, kept or filtered out (a Query's `ScannedCount`). */
  scanned: number;
}

/** A proxy's figures keyed by operation (`GetItem`), not by its `X-Amz-Target` (`DynamoDB_20120810.GetItem`). */
export const byOperation = <T>(record: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(record).map(([target, value]) => [target.replace(/^DynamoDB_\d+\./, ''), value]));

export interface DynamoProxy {
  endpoint: string;
  /** Requests seen, by their `X-Amz-Target` (refused Scans included). */
  counts(): Record<string, number>;
  /** Items read, by the `X-Amz-Target` of the reads that answered with items. */
  itemsRead(): Record<string, ItemsRead>;
  /** Clears both the request counts and the items read. */
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
  let reads: Record<string, ItemsRead> = {};
  const addRead = (operation: string, read: ItemsRead) => {
    const sum = (reads[operation] ??= { returned: 0, scanned: 0 });
    sum.returned += read.returned;
    sum.scanned += read.scanned;
  };

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
    const upstream = request({ agent, host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      // Listening before piping: the sum is in before the client sees the end of the answer.
      if (READS.has(operation) && (answer.statusCode ?? 0) < 300) {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const read = itemsIn(operation, Buffer.concat(chunks), answer.headers['content-encoding']);
          if (read) addRead(operation, read);
        });
      }
      answer.pipe(res);
    });
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
    itemsRead: () => Object.fromEntries(Object.entries(reads).map(([operation, read]) => [operation, { ...read }])),
    reset: () => {
      counts = {};
      reads = {};
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((closed) => server.close(() => closed()));
      agent.destroy();
    },
  };
}

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'TransactGetItems'].map((op) => `DynamoDB_20120810.${op}`));

function decode(body: Buffer, encoding: string | undefined): Buffer {
  if (encoding === 'gzip') return gunzipSync(body);
  if (encoding === 'deflate') return inflateSync(body);
  if (encoding === 'br') return brotliDecompressSync(body);
  return body;
}

/** What a successful read answered with; null when the body cannot be read (it is passed on untouched either way). */
function itemsIn(operation: string, body: Buffer, encoding: string | undefined): ItemsRead | null {
  let answer: { Count?: number; ScannedCount?: number; Item?: unknown; Responses?: unknown };
  try {
    answer = JSON.parse(decode(body, encoding).toString('utf8'));
  } catch {
    return null;
  }
  const items = (n: number): ItemsRead => ({ returned: n, scanned: n });
  switch (operation.replace(/^DynamoDB_\d+\./, '')) {
    case 'Query':
      return { returned: answer.Count ?? 0, scanned: answer.ScannedCount ?? answer.Count ?? 0 };
    case 'GetItem':
      return items(answer.Item ? 1 : 0);
    case 'TransactGetItems':
      return items(Array.isArray(answer.Responses) ? answer.Responses.filter((r: { Item?: unknown } | null) => r?.Item).length : 0);
    case 'BatchGetItem': {
      const byTable = (answer.Responses ?? {}) as Record<string, unknown[]>;
      return items(Object.values(byTable).reduce((n, list) => n + (Array.isArray(list) ? list.length : 0), 0));
    }
    default:
      return null;
  }
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
