import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_TYPE, problemBody } from '@guanjia/api';

/**
 * `curl -H "Authorization: Bearer $TOKEN"` with TOKEN=$(npm run token ...) from an npm that is
 * not silenced: npm's `> script` header lines land in the request as lines of their own, which
 * node refuses to parse. The fix is the user's, so it is named.
 */
const NPM_HEADER_IN_AUTHORIZATION = /\r\nauthorization:[^\r\n]*\n>/i;

// What node's parser reports before any handler runs, as the problem the app would answer.
function answerFor(code: string | undefined, raw: string): { status: number; reason: string; detail: string } | null {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, reason: 'Request Header Fields Too Large', detail: 'the request line and headers together are over the size this server reads' };
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, reason: 'Request Timeout', detail: 'the request did not arrive in time' };
  if (code?.startsWith('HPE_') && NPM_HEADER_IN_AUTHORIZATION.test(raw)) {
    return {
      status: 400,
      reason: 'Bad Request',
      detail: "the Authorization header holds npm's '> script' header lines: mint the token with `npm run -s token`",
    };
  }
  if (code?.startsWith('HPE_')) return { status: 400, reason: 'Bad Request', detail: 'the request is not valid HTTP' };
  return null;
}

/**
 * Node answers a request it cannot parse itself, before the app sees it: a bare 431 or 400
 * with no body. This answers the same status with the problem+json body every other error
 * of the API has, and closes the connection, as node does.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    const answer = answerFor(error.code, error.rawPacket?.toString('latin1') ?? '');
    // A connection reset or another socket error: nobody is left to read an answer.
    if (!answer || !socket.writable) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify(problemBody(answer.status, answer.detail));
    socket.end(
      `HTTP/1.1 ${answer.status} ${answer.reason}\r\n` +
        `Content-Type: ${PROBLEM_TYPE}\r\n` +
        // Nothing of the request was read, so not its Accept-Language either: the answer is in English.
        'Content-Language: en\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}
