/**
 * Preloaded into a bot process (`node --import probe.js dist/main.js`), it
 * changes nothing in the bot; over the IPC channel the benchmark opened it
 *  - reports process.memoryUsage(), after a full GC when asked (the process
 *    then runs with --expose-gc);
 *  - reports the HTTP requests the process made (undici's diagnostics
 *    channels: every request through undici, the OpenStack adapter's pools
 *    and the global fetch alike), with method, origin, path and status, so
 *    requests can be counted against any cloud, not only the demo cloud;
 *  - reports how long the process itself took to answer the requests it
 *    received (node:http's diagnostics channels: from the parsed request to
 *    the finished response), and how late its event loop ran
 *    (monitorEventLoopDelay), so that an ack measured from outside can be
 *    split into the bot's own handling and the time the request waited for
 *    a busy process.
 */
import { subscribe } from 'node:diagnostics_channel';
import { monitorEventLoopDelay } from 'node:perf_hooks';

interface UndiciRequest {
  method?: string;
  origin?: unknown;
  path?: string;
}

export interface ProbeRecord {
  method: string;
  origin: string;
  path: string;
  status: number;
  /** performance.timeOrigin-based wall clock (ms since the epoch) of the request's creation and of its response headers. */
  start: number;
  end: number;
}

export type ProbeRequest =
  | { id: number; type: 'memory'; gc?: boolean }
  | { id: number; type: 'requests'; reset?: boolean }
  | { id: number; type: 'record'; on: boolean }
  | { id: number; type: 'handling' };

/** What `handling` answers: the process's own answer times (ms) since the last ask, and its event loop's delay. */
export interface Handling {
  answers: number[];
  loopDelayMs: { p50: number; p99: number; max: number };
}

let recording = false;
let records: ProbeRecord[] = [];
const open = new WeakMap<object, ProbeRecord>();
const wall = (): number => performance.timeOrigin + performance.now();

/** undici keeps the origin as a string or a URL. */
function originOf(origin: unknown): string {
  if (typeof origin === 'string') return origin;
  if (origin instanceof URL) return origin.origin;
  return '';
}

subscribe('undici:request:create', (message) => {
  if (!recording) return;
  const request = (message as { request: UndiciRequest }).request;
  const record: ProbeRecord = {
    method: request.method ?? '?',
    origin: originOf(request.origin),
    path: request.path ?? '',
    status: 0,
    start: wall(),
    end: 0,
  };
  open.set(request, record);
  records.push(record);
});

subscribe('undici:request:headers', (message) => {
  const { request, response } = message as { request: object; response: { statusCode: number } };
  const record = open.get(request);
  if (!record) return;
  record.status = response.statusCode;
  record.end = wall();
});

let answers: number[] = [];
const received = new WeakMap<object, number>();
subscribe('http.server.request.start', (message) => {
  const { request } = message as { request: { method?: string } };
  if (request.method === 'POST') received.set(request, performance.now());
});
subscribe('http.server.response.finish', (message) => {
  const { request } = message as { request: object };
  const at = received.get(request);
  if (at !== undefined) answers.push(performance.now() - at);
});
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();

if (process.send) {
  process.on('message', (raw: unknown) => {
    const message = raw as ProbeRequest;
    const reply = (body: Record<string, unknown>): void => {
      process.send?.({ id: message.id, ...body });
    };
    switch (message.type) {
      case 'memory': {
        const gc = (globalThis as { gc?: () => void }).gc;
        if (message.gc && gc) gc();
        reply({ memory: process.memoryUsage(), gc: Boolean(message.gc && gc) });
        return;
      }
      case 'requests':
        reply({ records });
        if (message.reset) records = [];
        return;
      case 'record':
        recording = message.on;
        if (!recording) records = [];
        reply({ recording });
        return;
      case 'handling': {
        const handling: Handling = {
          answers,
          loopDelayMs: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
        };
        answers = [];
        loop.reset();
        reply({ handling });
        return;
      }
    }
  });
  // The channel must not keep the bot alive once it has stopped by itself.
  process.channel?.unref();
}
