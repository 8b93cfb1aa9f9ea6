import { describe, expect, it } from 'vitest';
import { InFlight } from '../../src/ops/inflight.js';

describe('work in flight', () => {
  it('waits for running work to finish before a stop completes', async () => {
    const inFlight = new InFlight();
    let finished = false;
    void inFlight.track(new Promise((resolve) => setTimeout(() => resolve((finished = true)), 50)));
    expect(inFlight.size).toBe(1);
    expect(await inFlight.drain(5_000)).toBe(0);
    expect(finished).toBe(true);
  });

  it('gives up after the timeout and says how much was left', async () => {
    const inFlight = new InFlight();
    void inFlight.track(new Promise(() => undefined));
    expect(await inFlight.drain(20)).toBe(1);
  });

  it('forgets work that failed', async () => {
    const inFlight = new InFlight();
    await inFlight.track(Promise.reject(new Error('x'))).catch(() => undefined);
    expect(inFlight.size).toBe(0);
  });
});
