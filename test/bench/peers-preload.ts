import { readFileSync } from 'node:fs';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';

/**
 * Loaded with `--import` before each handler of the `peers` bench: answers the Cognito
 * verifier's JWKS download from the file `PEERS_JWKS_FILE` instead of the network, so that
 * the API function runs offline exactly as it ships. Every other request passes through.
 * The three handlers use the same verifier, so each pays the same download, once.
 */

const file = process.env.PEERS_JWKS_FILE;
if (!file) throw new Error('PEERS_JWKS_FILE is not set');
const jwks = readFileSync(file);
const COGNITO_JWKS = /^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/[^/]+\/\.well-known\/jwks\.json$/;

type Request = typeof https.request;
const passThrough: Request = https.request;

const offline = ((...args: unknown[]) => {
  const url = args[0] instanceof URL ? args[0].href : args[0];
  if (typeof url !== 'string' || !COGNITO_JWKS.test(url)) return (passThrough as (...a: unknown[]) => ReturnType<Request>)(...args);
  const callback = args.find((arg): arg is (res: Readable) => void => typeof arg === 'function');
  const request = Object.assign(new EventEmitter(), {
    end() {
      setImmediate(() => callback?.(Object.assign(Readable.from([jwks]), { statusCode: 200 })));
      return request;
    },
    destroy: () => request,
  });
  return request;
}) as Request;

https.request = offline;
// The bundles import `request` as an ES binding of the built-in module: refresh it.
syncBuiltinESMExports();
