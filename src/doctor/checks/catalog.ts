/**
 * Check 3: the token's catalog has a network and a compute endpoint for the
 * configured region and interface, chosen exactly as the adapter chooses
 * them (selectEndpoint). When one is missing, lists what the catalog has and
 * which setting would pick it.
 */
import type { CloudConfig } from '../../openstack/cloud-config.js';
import { OpenStackEndpointNotFoundError, type ServiceType } from '../../openstack/errors.js';
import { type CatalogEntry, selectEndpoint, type Token } from '../../openstack/identity.js';
import { printableUrl, settingName } from '../openstack-problems.js';
import { CHECK_NAMES, type CheckResult } from '../types.js';

export type ApiServiceType = Extract<ServiceType, 'network' | 'compute'>;

export interface CatalogOutcome {
  result: CheckResult;
  /** The endpoint URL per service, when the catalog has one. */
  endpoints: Partial<Record<ApiServiceType, string>>;
}

const SERVICES: readonly ApiServiceType[] = ['network', 'compute'];

function unique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** What would select an endpoint of `service`, given what the catalog offers. */
function advice(catalog: CatalogEntry[], service: ApiServiceType, cloud: CloudConfig): string {
  const endpoints = catalog.filter((entry) => entry.type === service).flatMap((entry) => entry.endpoints);
  if (endpoints.length === 0) return `the catalog has no ${service} service at all: fipbot needs it; ask the cloud's operator`;
  const regionOf = (endpoint: (typeof endpoints)[number]) => endpoint.region_id ?? endpoint.region ?? '';
  const sameInterface = unique(
    endpoints.filter((endpoint) => endpoint.interface.replace(/URL$/, '') === cloud.interface).map(regionOf),
  ).filter(Boolean);
  if (sameInterface.length > 0) return `set ${settingName(cloud, 'region_name', false)} to ${sameInterface.join(' or ')}`;
  const interfaces = unique(
    endpoints
      .filter((endpoint) => cloud.regionName === undefined || regionOf(endpoint) === cloud.regionName)
      .map((endpoint) => endpoint.interface.replace(/URL$/, '')),
  );
  if (interfaces.length > 0) return `set ${settingName(cloud, 'interface', false)} to ${interfaces.join(' or ')}`;
  return `set ${settingName(cloud, 'region_name', false)} and ${settingName(cloud, 'interface', false)} to a pair the catalog lists`;
}

export function checkCatalog(token: Token, cloud: CloudConfig): CatalogOutcome {
  const endpoints: Partial<Record<ApiServiceType, string>> = {};
  const missing: string[] = [];
  const fixes: string[] = [];
  for (const service of SERVICES) {
    try {
      endpoints[service] = selectEndpoint(token.catalog, service, cloud.interface, cloud.regionName);
    } catch (error) {
      if (!(error instanceof OpenStackEndpointNotFoundError)) throw error;
      missing.push(`${service}: ${error.message}`);
      fixes.push(`${service}: ${advice(token.catalog, service, cloud)}`);
    }
  }
  const where = `${cloud.interface} interface, ${cloud.regionName ? `region ${cloud.regionName}` : 'any region'}`;
  if (missing.length > 0) {
    const types = unique(token.catalog.map((entry) => entry.type));
    return {
      endpoints,
      result: {
        id: 'catalog',
        name: CHECK_NAMES.catalog,
        status: 'fail',
        detail: `no usable ${missing.length === 2 ? 'network and compute endpoints' : `${missing[0]!.split(':')[0]} endpoint`} for the ${where} (the catalog lists: ${types.join(', ') || 'nothing'})`,
        items: missing,
        next: `${fixes.join('; ')}.`,
      },
    };
  }
  return {
    endpoints,
    result: {
      id: 'catalog',
      name: CHECK_NAMES.catalog,
      status: 'ok',
      detail: `network ${printableUrl(endpoints.network!)}, compute ${printableUrl(endpoints.compute!)} (${where})`,
    },
  };
}
