/**
 * Typed access to the demo cloud's state for tests: look things up by the
 * names the seed uses, and change what tests need changed without going
 * through HTTP (quotas, tokens). The adapter under test never sees this.
 */
import type { FloatingIp, Network, Port, Router, Server, Subnet } from './model.js';
import { DEMO_APPLICATION_CREDENTIAL } from './seed.js';
import type { Store } from './store.js';
import type { TokenStore } from './tokens.js';

export interface DemoState {
  readonly store: Store;
  readonly applicationCredential: { readonly id: string; readonly name: string; readonly secret: string };
  projectId(name: string): string;
  userId(name: string): string;
  network(name: string): Network;
  subnet(name: string): Subnet;
  router(name: string): Router;
  /** The one server with this exact name (throws when none or several). */
  server(name: string): Server;
  portsOf(serverName: string): Port[];
  floatingIp(address: string): FloatingIp | undefined;
  floatingIps(projectName?: string): FloatingIp[];
  setQuota(projectName: string, resource: string, limit: number): void;
  /** Live (unexpired) tokens. */
  tokenCount(): number;
  /** Their values: secrets that must never be printed, for tests that look for them. */
  tokens(): string[];
}

function single<T extends { name: string }>(items: Iterable<T>, name: string, what: string): T {
  const found = [...items].filter((item) => item.name === name);
  const [first] = found;
  if (!first || found.length > 1) throw new Error(`demo cloud: ${found.length === 0 ? 'no' : 'several'} ${what} named "${name}"`);
  return first;
}

export function createState(store: Store, tokens: TokenStore): DemoState {
  const state: DemoState = {
    store,
    applicationCredential: DEMO_APPLICATION_CREDENTIAL,
    projectId: (name) => single(store.projects.values(), name, 'project').id,
    userId: (name) => single(store.users.values(), name, 'user').id,
    network: (name) => single(store.networks.values(), name, 'network'),
    subnet: (name) => single(store.subnets.values(), name, 'subnet'),
    router: (name) => single(store.routers.values(), name, 'router'),
    server: (name) => single(store.servers.values(), name, 'server'),
    portsOf: (serverName) => store.portsOfDevice(state.server(serverName).id),
    floatingIp: (address) => [...store.floatingIps.values()].find((fip) => fip.floatingIpAddress === address),
    floatingIps: (projectName) => {
      const all = [...store.floatingIps.values()];
      if (projectName === undefined) return all;
      const projectId = state.projectId(projectName);
      return all.filter((fip) => fip.projectId === projectId);
    },
    setQuota: (projectName, resource, limit) => store.setQuota(state.projectId(projectName), resource, limit),
    tokenCount: () => tokens.size,
    tokens: () => tokens.values(),
  };
  return state;
}
