/**
 * The interaction store in Redis, so replicas behind one request URL share confirmations and double-tap protection:
 * a Confirm made on one replica can be clicked through another, and twenty taps across them still run the change once.
 *   put SET <prefix>interaction:<token> <json> PX ttl; peek GET; update PTTL + SET PX in one Lua script; claim SET <prefix>claim:<key> 1 NX PX ttl; release DEL it;
 *   isClaimed EXISTS it;
 *   take GET + DEL in one Lua script (atomic on any Redis >= 2.6, no GETDEL needed).
 * Values are JSON (a Date comes back as a string). A Redis failure is logged (password redacted) and rejects only that
 * call, with a SharedStateError. A timed-out `take` or `claim` may still have applied: a spent confirmation is the safe side.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { InteractionStore } from '../slack/state/interaction-store.js';

export const DEFAULT_KEY_PREFIX = 'fipbot:';

/** What `put` issues: 128 random bits in base64url. Anything else cannot be ours and is not looked up. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{22}$/;

/** Replaces a value that is still there, with the time it has left (KEEPTTL would need Redis 6). */
const UPDATE_SCRIPT =
  "local ttl = redis.call('PTTL', KEYS[1])\nif ttl > 0 then redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl) return 1 end\nreturn 0";
const TAKE_SCRIPT = "local value = redis.call('GET', KEYS[1])\nif value then redis.call('DEL', KEYS[1]) end\nreturn value";

export class SharedStateError extends Error {
  /** Read by the OpenStack transport as the failure's low-level code. */
  readonly code: string;

  constructor(message: string, code = 'FIPBOT_SHARED_STATE_UNAVAILABLE', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SharedStateError';
    this.code = code;
  }
}

export interface RedisStoreOptions {
  /** Prepended to every key; default "fipbot:". */
  keyPrefix?: string;
  logger?: Logger;
  /** Scrubs secrets (the Redis password) from error text before it is logged or thrown. */
  redact?: (text: string) => string;
  /** close() quits the client (default false: whoever made the client closes it). */
  ownsClient?: boolean;
}

export class RedisInteractionStore implements InteractionStore {
  private readonly prefix: string;
  private readonly redact: (text: string) => string;
  private closed = false;

  constructor(
    private readonly client: Redis,
    private readonly options: RedisStoreOptions = {},
  ) {
    this.prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.redact = options.redact ?? ((text) => text);
  }

  async put<T>(value: T, ttlMs: number): Promise<string> {
    const json = JSON.stringify(value);
    if (json === undefined) throw new TypeError('The interaction store keeps JSON values only');
    const token = randomBytes(16).toString('base64url');
    await this.call('put', () => this.client.set(this.interactionKey(token), json, 'PX', milliseconds(ttlMs)));
    return token;
  }

  async peek<T>(token: string): Promise<T | undefined> {
    if (!TOKEN_SHAPE.test(token)) return undefined;
    return this.parse<T>('peek', await this.call('peek', () => this.client.get(this.interactionKey(token))));
  }

  async update<T>(token: string, value: T): Promise<boolean> {
    if (!TOKEN_SHAPE.test(token)) return false;
    const json = JSON.stringify(value);
    if (json === undefined) throw new TypeError('The interaction store keeps JSON values only');
    const reply = await this.call('update', () => this.client.eval(UPDATE_SCRIPT, 1, this.interactionKey(token), json));
    return reply === 1;
  }

  async take<T>(token: string): Promise<T | undefined> {
    if (!TOKEN_SHAPE.test(token)) return undefined;
    const raw = await this.call('take', () => this.client.eval(TAKE_SCRIPT, 1, this.interactionKey(token)));
    return this.parse<T>('take', typeof raw === 'string' ? raw : null);
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const reply = await this.call('claim', () => this.client.set(this.claimKey(key), '1', 'PX', milliseconds(ttlMs), 'NX'));
    return reply === 'OK';
  }

  async release(key: string): Promise<void> {
    await this.call('release', () => this.client.del(this.claimKey(key)));
  }

  async isClaimed(key: string): Promise<boolean> {
    return (await this.call('isClaimed', () => this.client.exists(this.claimKey(key)))) === 1;
  }

  async close(): Promise<void> {
    if (this.closed || this.options.ownsClient !== true) return;
    this.closed = true;
    await quitClient(this.client);
  }

  private interactionKey(token: string): string {
    return `${this.prefix}interaction:${token}`;
  }

  private claimKey(key: string): string {
    return `${this.prefix}claim:${key}`;
  }

  private parse<T>(operation: string, raw: string | null): T | undefined {
    if (raw === null) return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch (error) {
      throw this.failure(operation, error);
    }
  }

  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.failure(operation, error);
    }
  }

  private failure(operation: string, error: unknown): SharedStateError {
    const detail = this.redact(error instanceof Error ? error.message : String(error));
    this.options.logger?.error(`shared state: Redis ${operation} failed`, { error: detail });
    return new SharedStateError(`The shared interaction store (Redis) failed during ${operation}: ${detail}`);
  }
}

/** QUIT politely; when Redis cannot answer (it is down, or the quit times out), drop the socket instead. */
export async function quitClient(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}

/** PX takes a positive whole number of milliseconds. */
function milliseconds(ttlMs: number): number {
  if (!Number.isFinite(ttlMs)) throw new RangeError(`A time to live must be a finite number of milliseconds, not ${ttlMs}`);
  return Math.max(1, Math.ceil(ttlMs));
}
