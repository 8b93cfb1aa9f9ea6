/**
 * Small time-bounded caches for data that changes rarely and is read on every
 * operation (pools, networks, subnets, server names). Concurrent readers share
 * one load, so a burst of clicks costs one request, not one each.
 */

export class Cached<T> {
  private value: T | undefined;
  private loadedAt = -Infinity;
  private pending: Promise<T> | undefined;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async get(): Promise<T> {
    if (this.value !== undefined && this.now() - this.loadedAt < this.ttlMs) return this.value;
    this.pending ??= this.load()
      .then((value) => {
        this.value = value;
        this.loadedAt = this.now();
        return value;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  /** Drop the value: the next get() loads again (after a change we made, or a miss that proves it stale). */
  invalidate(): void {
    this.value = undefined;
    this.loadedAt = -Infinity;
  }
}
