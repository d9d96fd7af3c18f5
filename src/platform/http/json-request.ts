import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/**
 * One JSON request between services over node:http with kept-alive connections. Services call
 * each other on every boot (Placement candidates and claims); fetch spent about a millisecond
 * of CPU on each such call, node:http a fraction of that.
 */

/** The answer: status, headers and the body as text. */
export interface JsonAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

const agents = {
  http: new HttpAgent({ keepAlive: true }),
  https: new HttpsAgent({ keepAlive: true }),
};

/** Sends `body` (already JSON text, if any) and reads the whole answer; `signal` aborts it. */
export function jsonRequest(
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: string | undefined;
    signal: AbortSignal;
  },
): Promise<JsonAnswer> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const send = secure ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: init.method,
        headers: init.headers,
        agent: secure ? agents.https : agents.http,
        signal: init.signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}
