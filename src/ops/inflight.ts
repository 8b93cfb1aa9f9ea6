/**
 * Work still running after Slack got its ack (the OpenStack change, the
 * result message). A graceful stop waits for it: stopping the HTTP listener
 * alone would cut operations off halfway, after the person was told "Working…".
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  get size(): number {
    return this.running.size;
  }

  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const done = () => this.running.delete(work);
    work.then(done, done);
    return work;
  }

  /** Resolves when everything running now has finished, or after `timeoutMs`; returns how many were left. */
  async drain(timeoutMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    });
    await Promise.race([Promise.allSettled([...this.running]), timeout]);
    clearTimeout(timer);
    return this.running.size;
  }
}
