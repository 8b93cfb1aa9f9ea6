/** What every Slack listener needs, handed over once by the composition root. */
import type { Timing } from '../config/timing.js';
import type { OwnChanges } from '../jobs/own-changes.js';
import type { FloatingIpService } from '../operations/service.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../ops/metrics.js';
import type { Audit } from './audit.js';
import type { FetchLike } from './deliver.js';
import type { SlackClouds } from './clouds.js';
import type { Policy } from './policy/engine.js';
import type { InteractionStore } from './state/interaction-store.js';

export interface SlackDeps {
  service: FloatingIpService;
  store: InteractionStore;
  policy: Policy;
  audit: Audit;
  logger: Logger;
  now: () => Date;
  /** The fetch Bolt uses for respond(): results sent to stored response_urls go the same way. */
  fetch: FetchLike;
  /** Operation counters for /metrics (optional: tests and the console may leave it out). */
  metrics?: Metrics;
  /** The ack budget, confirmation lifetimes and claims (see config/timing.ts). */
  timing: Timing;
  /** With the watch on: every change marks the addresses it changes, so the watch does not report them as made elsewhere. */
  ownChanges?: OwnChanges;
  /** With several clouds (FIPBOT_CONFIG): all of them; `service` is then the one `cloud` names (see clouds.ts). */
  clouds?: SlackClouds;
  /** The cloud this request acts on, once a listener chose it (several clouds only). */
  cloud?: string;
  /** The configured cloud's name (its clouds.yaml entry), matched against the policy's `approvals: … clouds:`; none: undefined. */
  cloudName?: string;
}
