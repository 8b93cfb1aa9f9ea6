/**
 * What lives between a confirmation message and the click on Confirm: the
 * plan, kept server-side (button values are visible to clients and limited
 * to 2000 characters), and the claims that make a double tap or a replayed
 * payload run an operation once.
 *
 * `take` and `claim` are atomic: with several replicas the Redis-backed
 * store (operations issue) gives the same guarantee across processes.
 */
import { randomBytes } from 'node:crypto';

export interface InteractionStore {
  /** Keeps a value for `ttlMs`; returns the token to put in the button. */
  put<T>(value: T, ttlMs: number): Promise<string>;
  /** Reads without consuming (to re-render a confirmation). */
  peek<T>(token: string): Promise<T | undefined>;
  /** Replaces a value still kept, keeping its expiry; false when it is gone (taken or expired). */
  update<T>(token: string, value: T): Promise<boolean>;
  /** Returns the value to the first caller only, and forgets it. */
  take<T>(token: string): Promise<T | undefined>;
  /** True for the first caller of `key` within `ttlMs`, false for every later one. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Gives a claim back early (the work it guarded failed and may be tried again). */
  release(key: string): Promise<void>;
  /** True while a claim on `key` is held; asking takes nothing (the watch reads fipbot's marks of its own changes so). */
  isClaimed(key: string): Promise<boolean>;
  close(): Promise<void>;
}

interface Entry {
  value: unknown;
  expiresAt: number;
}

export class MemoryInteractionStore implements InteractionStore {
  private readonly entries = new Map<string, Entry>();
  private readonly claims = new Map<string, number>();
  private lastSweep = 0;

  constructor(private readonly now: () => number = () => Date.now()) {}

  put<T>(value: T, ttlMs: number): Promise<string> {
    this.sweep();
    // 128 bits: a token cannot be guessed by someone who never saw the message.
    const token = randomBytes(16).toString('base64url');
    this.entries.set(token, { value, expiresAt: this.now() + ttlMs });
    return Promise.resolve(token);
  }

  peek<T>(token: string): Promise<T | undefined> {
    const entry = this.entries.get(token);
    if (!entry || entry.expiresAt <= this.now()) return Promise.resolve(undefined);
    return Promise.resolve(entry.value as T);
  }

  update<T>(token: string, value: T): Promise<boolean> {
    const entry = this.entries.get(token);
    if (!entry || entry.expiresAt <= this.now()) return Promise.resolve(false);
    entry.value = value;
    return Promise.resolve(true);
  }

  take<T>(token: string): Promise<T | undefined> {
    const entry = this.entries.get(token);
    this.entries.delete(token);
    if (!entry || entry.expiresAt <= this.now()) return Promise.resolve(undefined);
    return Promise.resolve(entry.value as T);
  }

  claim(key: string, ttlMs: number): Promise<boolean> {
    this.sweep();
    const until = this.claims.get(key);
    if (until !== undefined && until > this.now()) return Promise.resolve(false);
    this.claims.set(key, this.now() + ttlMs);
    return Promise.resolve(true);
  }

  release(key: string): Promise<void> {
    this.claims.delete(key);
    return Promise.resolve();
  }

  isClaimed(key: string): Promise<boolean> {
    const until = this.claims.get(key);
    return Promise.resolve(until !== undefined && until > this.now());
  }

  close(): Promise<void> {
    this.entries.clear();
    this.claims.clear();
    return Promise.resolve();
  }

  /** Size, for memory benchmarks and tests. */
  size(): number {
    return this.entries.size + this.claims.size;
  }

  /** Drops expired entries at most once a minute, so memory stays flat without a timer. */
  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [token, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(token);
    for (const [key, until] of this.claims) if (until <= now) this.claims.delete(key);
  }
}
