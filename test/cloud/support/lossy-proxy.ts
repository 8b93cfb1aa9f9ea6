/**
 * A man in the middle for the real cloud, on 127.0.0.1: a proxy in front of
 * Keystone that points the token's catalog at a proxy in front of Neutron,
 * which passes everything through except, when armed, the answer to a
 * request it has forwarded: Neutron makes the change, the answer is lost
 * (the connection reset, or a 504 as a gateway that gave up would send).
 */
import { createServer, type IncomingMessage, request as httpRequest, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LossyProxy {
  /** The Keystone URL to give the bot (its catalog sends Neutron calls through the proxy). */
  authUrl: string;
  /** The next `method` request whose path matches is carried out and its answer lost. */
  loseNextAnswer(method: string, path: RegExp, as: 'reset' | 504): void;
  /** How many answers were lost so far. */
  lost(): number;
  close(): Promise<void>;
}

export async function startLossyProxy(keystoneAuthUrl: string, neutronUrl: string): Promise<LossyProxy> {
  const keystone = new URL(keystoneAuthUrl);
  const neutron = new URL(neutronUrl);
  const armed: Array<{ method: string; path: RegExp; as: 'reset' | 504 }> = [];
  let lostCount = 0;

  const neutronProxy = await listen((req, res) => {
    void forward(req, neutron.origin, (status, headers, body) => {
      const index = armed.findIndex((rule) => rule.method === req.method && rule.path.test(req.url ?? ''));
      if (index < 0) return void res.writeHead(status, headers).end(body);
      const [rule] = armed.splice(index, 1);
      lostCount++;
      if (rule!.as === 'reset') return void req.socket.destroy();
      res.writeHead(504, { 'content-type': 'text/html' }).end('<html><body><h1>504 Gateway Time-out</h1></body></html>');
    }).catch(() => req.socket.destroy());
  });
  const neutronProxyOrigin = `http://127.0.0.1:${(neutronProxy.address() as AddressInfo).port}`;

  const keystoneProxy = await listen((req, res) => {
    void forward(req, keystone.origin, (status, headers, body) => {
      // The catalog names Neutron by its URL: name the proxy instead.
      const text = body.toString('utf8').split(neutron.origin).join(neutronProxyOrigin);
      const rewritten = Buffer.from(text, 'utf8');
      res.writeHead(status, { ...headers, 'content-length': String(rewritten.length) }).end(rewritten);
    }).catch(() => req.socket.destroy());
  });
  const keystoneProxyOrigin = `http://127.0.0.1:${(keystoneProxy.address() as AddressInfo).port}`;

  return {
    authUrl: `${keystoneProxyOrigin}${keystone.pathname}`,
    loseNextAnswer: (method, path, as) => void armed.push({ method, path, as }),
    lost: () => lostCount,
    close: async () => {
      await Promise.all([neutronProxy, keystoneProxy].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const server = createServer(handler);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** Sends the request on to `origin` and hands over the whole answer. */
async function forward(
  req: IncomingMessage,
  origin: string,
  answer: (status: number, headers: Record<string, string>, body: Buffer) => void,
): Promise<void> {
  const body = await read(req);
  const url = new URL(req.url ?? '/', origin);
  await new Promise<void>((resolve, reject) => {
    const headers = { ...req.headers, host: url.host };
    const upstream = httpRequest(url, { method: req.method, headers }, (response) => {
      void read(response).then((answerBody) => {
        const kept: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) {
          // The proxy answers with a body of its own length, on a connection of its own.
          if (value !== undefined && !['content-length', 'transfer-encoding', 'connection'].includes(name)) kept[name] = String(value);
        }
        answer(response.statusCode ?? 502, kept, answerBody);
        resolve();
      }, reject);
    });
    upstream.on('error', reject);
    upstream.end(body);
  });
}

function read(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
