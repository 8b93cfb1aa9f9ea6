/**
 * The demo cloud's default topology, as plain data. It reproduces the
 * topology of the real test cloud (public with v4 + v6 subnets, router1,
 * test_instance on public, web-1 on private) and adds the cases fipbot must
 * explain: a second small pool behind its own router, a two-NIC server, a
 * network with no router, an IPv6-only server, a DHCP port, another
 * project's resources, and enough app-NN servers for typeahead.
 * seed-builder.ts turns it into state.
 */

export interface SeedSubnet {
  name: string;
  cidr: string;
  /** Defaults to the first host; null for none. */
  gateway?: string | null;
  pools?: Array<[string, string]>;
  dhcp?: boolean;
}

export interface SeedNetwork {
  name: string;
  project: string;
  external?: boolean;
  shared?: boolean;
  subnets: SeedSubnet[];
  /** Address of a DHCP agent port on the first subnet, as a real cloud with agents has. */
  dhcpPort?: string;
}

export interface SeedRouter {
  name: string;
  project: string;
  /** External network name for the gateway. */
  gateway?: string;
  /** Subnet names to attach (the interface takes the subnet's gateway address). */
  interfaces: string[];
}

export interface SeedNic {
  network: string;
  fixedIps?: string[];
}

export interface SeedServer {
  name: string;
  project: string;
  user: string;
  nics: SeedNic[];
}

export interface SeedFloatingIp {
  address: string;
  network: string;
  project: string;
  description?: string;
  attachTo?: { server: string; fixedIp?: string };
}

export interface SeedImage {
  name: string;
  sizeBytes: number;
}

export interface SeedFlavor {
  name: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
}

export interface SeedSpec {
  domain: { id: string; name: string };
  projects: string[];
  users: Array<{ name: string; password: string; project: string; roles: string[] }>;
  applicationCredentials: Array<{ id: string; name: string; secret: string; user: string }>;
  networks: SeedNetwork[];
  routers: SeedRouter[];
  servers: SeedServer[];
  floatingIps: SeedFloatingIp[];
  /** What servers boot from (Nova's image proxy and flavors). */
  images: SeedImage[];
  flavors: SeedFlavor[];
  /** Quota overrides: project name -> resource -> limit. */
  quotas?: Record<string, Record<string, number>>;
}

/** The application credential of user demo (documented in the README of the demo cloud). */
export const DEMO_APPLICATION_CREDENTIAL = {
  id: 'a5e1f0b2c3d44e6f8a9b0c1d2e3f4a5b',
  name: 'fipbot-demo',
  secret: 'demo-app-credential-secret',
} as const;

const demo = { project: 'demo', user: 'demo' };

function appServers(count: number): SeedServer[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `app-${String(i + 1).padStart(2, '0')}`,
    ...demo,
    nics: [{ network: 'private' }],
  }));
}

export const DEFAULT_SEED: SeedSpec = {
  domain: { id: 'default', name: 'Default' },
  projects: ['admin', 'demo'],
  users: [
    { name: 'admin', password: 'admin', project: 'admin', roles: ['admin', 'member', 'reader'] },
    { name: 'demo', password: 'demo', project: 'demo', roles: ['member', 'reader'] },
  ],
  applicationCredentials: [{ ...DEMO_APPLICATION_CREDENTIAL, user: 'demo' }],
  networks: [
    {
      name: 'public',
      project: 'admin',
      external: true,
      shared: true,
      subnets: [
        {
          name: 'public-subnet',
          cidr: '192.168.100.0/24',
          gateway: '192.168.100.1',
          pools: [['192.168.100.10', '192.168.100.250']],
          dhcp: false,
        },
        { name: 'public-subnet-v6', cidr: '2001:db8::/64', gateway: '2001:db8::1', dhcp: false },
      ],
    },
    {
      // A second, tiny pool: five addresses, one taken by router2's gateway.
      name: 'public-b',
      project: 'admin',
      external: true,
      subnets: [
        { name: 'public-b-subnet', cidr: '203.0.113.0/29', gateway: '203.0.113.1', pools: [['203.0.113.2', '203.0.113.6']], dhcp: false },
      ],
    },
    { name: 'private', project: 'demo', subnets: [{ name: 'private-subnet', cidr: '10.0.0.0/24' }], dhcpPort: '10.0.0.2' },
    { name: 'backend', project: 'demo', subnets: [{ name: 'backend-subnet', cidr: '10.1.0.0/24' }] },
    { name: 'isolated', project: 'demo', subnets: [{ name: 'isolated-subnet', cidr: '10.9.0.0/24' }] },
    { name: 'v6-only', project: 'demo', subnets: [{ name: 'v6-only-subnet', cidr: 'fd00:6::/64' }] },
    { name: 'ops', project: 'admin', subnets: [{ name: 'ops-subnet', cidr: '10.50.0.0/24' }] },
  ],
  routers: [
    // router1 joins private (v4) and v6-only to public: the v6-only server still cannot get a floating IP.
    { name: 'router1', project: 'demo', gateway: 'public', interfaces: ['private-subnet', 'v6-only-subnet'] },
    { name: 'router2', project: 'demo', gateway: 'public-b', interfaces: ['backend-subnet'] },
    { name: 'ops-router', project: 'admin', gateway: 'public', interfaces: ['ops-subnet'] },
  ],
  servers: [
    // Directly on the external network: Neutron refuses any floating IP for it.
    { name: 'test_instance', ...demo, nics: [{ network: 'public', fixedIps: ['192.168.100.178', '2001:db8::2c7'] }] },
    { name: 'web-1', ...demo, nics: [{ network: 'private' }] },
    { name: 'web-2', ...demo, nics: [{ network: 'private' }] },
    // Matches a Nova name search for "web-1" too (the name filter is a regex).
    { name: 'web-10', ...demo, nics: [{ network: 'private' }] },
    // Two NICs: private (via router1 to public) and backend (via router2 to public-b).
    { name: 'db-1', ...demo, nics: [{ network: 'private' }, { network: 'backend' }] },
    // No router at all on its network.
    { name: 'batch-1', ...demo, nics: [{ network: 'isolated' }] },
    // Only an IPv6 address: floating IPs are IPv4.
    { name: 'v6-1', ...demo, nics: [{ network: 'v6-only' }] },
    ...appServers(40),
    { name: 'ops-console', project: 'admin', user: 'admin', nics: [{ network: 'ops' }] },
  ],
  floatingIps: [
    { address: '192.168.100.201', network: 'public', project: 'demo', description: 'spare' },
    { address: '192.168.100.202', network: 'public', project: 'demo', attachTo: { server: 'web-2' } },
    { address: '192.168.100.240', network: 'public', project: 'admin', attachTo: { server: 'ops-console' } },
  ],
  // As on the real test cloud: a 1 MiB cirros image and m1.tiny.
  images: [{ name: 'cirros', sizeBytes: 1_048_576 }],
  flavors: [{ name: 'm1.tiny', vcpus: 1, ramMb: 64, diskGb: 1 }],
};

/**
 * A second project beside demo (several clouds in one bot, FIPBOT_CONFIG): `demo-staging`, its own user
 * (staging/staging), network, router to public, two servers and one floating IP. Added to the default seed
 * only when asked (seed: 'two-projects'), so the demo project answers exactly as it always did.
 */
export const STAGING_PROJECT = { project: 'demo-staging', user: 'staging', password: 'staging' } as const;

export function withStagingProject(base: SeedSpec): SeedSpec {
  const staging = { project: STAGING_PROJECT.project, user: STAGING_PROJECT.user };
  return {
    ...base,
    projects: [...base.projects, STAGING_PROJECT.project],
    users: [
      ...base.users,
      { name: STAGING_PROJECT.user, password: STAGING_PROJECT.password, project: STAGING_PROJECT.project, roles: ['member', 'reader'] },
    ],
    networks: [
      ...base.networks,
      { name: 'staging-private', project: STAGING_PROJECT.project, subnets: [{ name: 'staging-subnet', cidr: '10.20.0.0/24' }] },
    ],
    routers: [
      ...base.routers,
      { name: 'staging-router', project: STAGING_PROJECT.project, gateway: 'public', interfaces: ['staging-subnet'] },
    ],
    servers: [
      ...base.servers,
      { name: 'stage-web-1', ...staging, nics: [{ network: 'staging-private' }] },
      { name: 'stage-web-2', ...staging, nics: [{ network: 'staging-private' }] },
    ],
    floatingIps: [
      ...base.floatingIps,
      { address: '192.168.100.220', network: 'public', project: STAGING_PROJECT.project, attachTo: { server: 'stage-web-1' } },
    ],
  };
}

/** Nothing but the identity part (users, projects, the application credential) and the image and flavor. */
export const EMPTY_SEED: SeedSpec = {
  ...DEFAULT_SEED,
  networks: [],
  routers: [],
  servers: [],
  floatingIps: [],
};

/**
 * Extra topology for benchmarks: `servers` servers on a /16 behind its own
 * router and `floatingIps` floating IPs from a /16 pool, every other one
 * attached, all in project demo (its quota raised to fit).
 */
export function scaleSeed(
  servers: number,
  floatingIps: number,
): Pick<SeedSpec, 'networks' | 'routers' | 'servers' | 'floatingIps' | 'quotas'> {
  const serverSpecs: SeedServer[] = Array.from({ length: servers }, (_, i) => ({
    name: `bench-${String(i + 1).padStart(5, '0')}`,
    ...demo,
    nics: [{ network: 'bench' }],
  }));
  const fips: SeedFloatingIp[] = Array.from({ length: floatingIps }, (_, i) => {
    // Well above the gateway address bench-router takes from the start of the pool.
    const host = 1000 + i;
    const address = `100.64.${Math.floor(host / 256)}.${host % 256}`;
    const target = i % 2 === 0 ? serverSpecs[Math.floor(i / 2)] : undefined;
    return { address, network: 'public-bench', project: 'demo', ...(target ? { attachTo: { server: target.name } } : {}) };
  });
  return {
    networks: [
      {
        name: 'public-bench',
        project: 'admin',
        external: true,
        shared: true,
        subnets: [{ name: 'public-bench-subnet', cidr: '100.64.0.0/16', pools: [['100.64.0.10', '100.64.255.250']], dhcp: false }],
      },
      { name: 'bench', project: 'demo', subnets: [{ name: 'bench-subnet', cidr: '10.128.0.0/16' }] },
    ],
    routers: [{ name: 'bench-router', project: 'demo', gateway: 'public-bench', interfaces: ['bench-subnet'] }],
    servers: serverSpecs,
    floatingIps: fips,
    quotas: { demo: { floatingip: floatingIps + 100, port: -1 } },
  };
}
