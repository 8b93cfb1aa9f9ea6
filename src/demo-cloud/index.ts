/**
 * fipbot's embedded demo cloud: an in-memory Keystone v3 + Neutron + Nova
 * v2.1 served over HTTP on 127.0.0.1, speaking the real APIs so the real
 * OpenStack adapter runs against it unchanged. Used by `npm start` when no
 * cloud is configured, by tests, and by benchmarks (scale option).
 *
 * Layout (one port): Keystone at /identity/v3, Neutron at /network (API under
 * /network/v2.0), Nova at /compute/v2.1, test knobs at /_demo.
 */
import { cloudsYaml as renderCloudsYaml } from './clouds-yaml.js';
import type { CloudsYamlOptions } from './clouds-yaml.js';
import { SERVICE_PREFIX } from './context.js';
import type { CloudContext } from './context.js';
import { Faults } from './faults.js';
import type { FaultControls } from './faults.js';
import { DEFAULT_SEED, EMPTY_SEED, scaleSeed, withStagingProject } from './seed.js';
import type { SeedSpec } from './seed.js';
import { applySeed } from './seed-builder.js';
import { startServer } from './server.js';
import { createState } from './state.js';
import type { DemoState } from './state.js';
import { StatsLog } from './stats.js';
import type { DemoStats } from './stats.js';
import { Store } from './store.js';
import { TokenStore } from './tokens.js';

export type { FaultControls, FailureBody } from './faults.js';
export type { DemoStats, RequestRecord, StatsFilter } from './stats.js';
export type { DemoState } from './state.js';
export type { RouteSelector } from './route-selector.js';
export type { CloudsYamlOptions } from './clouds-yaml.js';
export { DEMO_APPLICATION_CREDENTIAL, STAGING_PROJECT } from './seed.js';

export interface DemoCloudOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** 'two-projects': the default seed and project demo-staging (seed.ts, withStagingProject). */
  seed?: 'default' | 'empty' | 'two-projects';
  /** Keystone token lifetime; default 3600. */
  tokenTtlSeconds?: number;
  /** Latency added to every request, as if the cloud were far away. */
  latencyMs?: number;
  /** Extra servers and floating IPs for benchmarks (e.g. 10,000 and 2,000). */
  scale?: { servers?: number; floatingIps?: number };
}

export interface DemoCloud {
  /** Keystone base URL including /v3, e.g. http://127.0.0.1:PORT/identity/v3. */
  authUrl: string;
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  port: number;
  close(): Promise<void>;
  faults: FaultControls;
  stats: DemoStats;
  state: DemoState;
  /** clouds.yaml text for user demo (password by default). */
  cloudsYaml(options?: CloudsYamlOptions): string;
}

function seedFor(options: DemoCloudOptions): SeedSpec {
  const base = options.seed === 'empty' ? EMPTY_SEED : options.seed === 'two-projects' ? withStagingProject(DEFAULT_SEED) : DEFAULT_SEED;
  const servers = options.scale?.servers ?? 0;
  const floatingIps = options.scale?.floatingIps ?? 0;
  if (servers === 0 && floatingIps === 0) return base;
  const extra = scaleSeed(servers, floatingIps);
  return {
    ...base,
    networks: [...base.networks, ...extra.networks],
    routers: [...base.routers, ...extra.routers],
    servers: [...base.servers, ...extra.servers],
    floatingIps: [...base.floatingIps, ...extra.floatingIps],
    quotas: { ...base.quotas, ...extra.quotas },
  };
}

export async function startDemoCloud(options: DemoCloudOptions = {}): Promise<DemoCloud> {
  const store = new Store();
  applySeed(store, seedFor(options));
  const tokens = new TokenStore(options.tokenTtlSeconds ?? 3600);
  let baseUrl = '';
  const ctx: CloudContext = { store, tokens, baseUrl: () => baseUrl };
  const faults = new Faults(() => tokens.expireAll());
  if (options.latencyMs !== undefined) faults.setLatency(options.latencyMs);
  const stats = new StatsLog();
  const authUrlOf = (): string => `${baseUrl}${SERVICE_PREFIX.identity}/v3`;
  const render = (yamlOptions?: CloudsYamlOptions): string => renderCloudsYaml(authUrlOf(), yamlOptions);
  const server = await startServer({ ctx, faults, stats, admin: { cloudsYaml: (auth) => render({ auth }) } }, options.port ?? 0);
  baseUrl = `http://127.0.0.1:${server.port}`;
  return {
    authUrl: authUrlOf(),
    baseUrl,
    port: server.port,
    close: () => server.close(),
    faults,
    stats,
    state: createState(store, tokens),
    cloudsYaml: render,
  };
}
