/**
 * What every service module shares: the state, the token table and where the
 * cloud is reachable. One node:http server answers for all services under
 * path prefixes (as devstack lays them out), so the catalog URLs carry paths
 * and a client that drops them is caught.
 */
import type { Store } from './store.js';
import type { TokenStore } from './tokens.js';

export const SERVICE_PREFIX = {
  identity: '/identity',
  network: '/network',
  compute: '/compute',
  admin: '/_demo',
} as const;

export type ServiceName = 'identity' | 'network' | 'compute';

export interface CloudContext {
  store: Store;
  tokens: TokenStore;
  /** http://127.0.0.1:PORT, known once the server listens. */
  baseUrl(): string;
}

/** The URLs the catalog advertises (identity with "/v3/" as the real one lists it). */
export function catalogUrls(baseUrl: string): Record<ServiceName, string> {
  return {
    identity: `${baseUrl}${SERVICE_PREFIX.identity}/v3/`,
    network: `${baseUrl}${SERVICE_PREFIX.network}`,
    compute: `${baseUrl}${SERVICE_PREFIX.compute}/v2.1`,
  };
}

export const REGION = 'RegionOne';
