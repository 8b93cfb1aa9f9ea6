/**
 * Identifiers shaped like Slack's. Counters rather than randomness, so that a
 * transcript of one run reads the same as the next; one `Ids` per simulator,
 * so tests running side by side never share a sequence.
 */
import { randomBytes } from 'node:crypto';
import type { SimClock } from './clock.js';

export class Ids {
  private counter = 0;
  private lastTsMicros = 0;

  constructor(private readonly clock: SimClock) {}

  /** `V0000001A`-like ids: a prefix letter and 8 upper-case base-36 digits. */
  next(prefix: string): string {
    this.counter++;
    return `${prefix}${this.counter.toString(36).toUpperCase().padStart(8, '0')}`;
  }

  /** Message timestamps: "seconds.micros", strictly increasing even within one millisecond. */
  ts(): string {
    const micros = Math.max(this.clock.now() * 1000, this.lastTsMicros + 1);
    this.lastTsMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  /** Slack's trigger ids look like "1388105719492.1379717998065.9bc163894734c1f415a2c504e81dec91". */
  triggerId(): string {
    this.counter++;
    return `${this.clock.now()}${String(this.counter).padStart(3, '0')}.1000000000001.${randomBytes(16).toString('hex')}`;
  }

  /** View hashes look like "156772938.1827394". */
  viewHash(): string {
    this.counter++;
    return `${Math.floor(this.clock.now() / 1000)}.${String(this.counter).padStart(8, '0')}`;
  }

  /** Slack fills a missing block_id (or action_id) with a short random-looking string. */
  blockId(): string {
    this.counter++;
    return `b${this.counter.toString(36).padStart(4, '0')}`;
  }
}
