/**
 * IPv4 / IPv6 arithmetic on bigints: enough for CIDR membership, allocation
 * pools and canonical formatting (Neutron prints IPv6 compressed, lower case).
 */
import { isIP } from 'node:net';

export type IpVersion = 4 | 6;

export interface IpAddress {
  version: IpVersion;
  value: bigint;
}

export interface Cidr {
  version: IpVersion;
  network: bigint;
  prefix: number;
}

function bits(version: IpVersion): number {
  return version === 4 ? 32 : 128;
}

function parseV4(text: string): bigint {
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function parseV6(text: string): bigint {
  let head = text;
  let tailV4: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    tailV4 = parseV4(text.slice(lastColon + 1));
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [left = '', right] = head.split('::');
  const leftGroups = left === '' ? [] : left.split(':');
  const rightGroups = right === undefined || right === '' ? [] : right.split(':');
  const missing = 8 - leftGroups.length - rightGroups.length;
  const groups = [...leftGroups, ...Array<string>(right === undefined ? 0 : missing).fill('0'), ...rightGroups];
  let value = groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

export function parseIp(text: string): IpAddress | undefined {
  const version = isIP(text);
  if (version === 4) return { version: 4, value: parseV4(text) };
  if (version === 6) return { version: 6, value: parseV6(text) };
  return undefined;
}

export function formatIp(address: IpAddress): string {
  if (address.version === 4) {
    const v = address.value;
    return [24n, 16n, 8n, 0n].map((shift) => ((v >> shift) & 0xffn).toString()).join('.');
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((address.value >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952: compress the longest run (>= 2) of zero groups, the first one on ties.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLength).join(':');
  return `${left}::${right}`;
}

/** The canonical text of an address, or undefined when it is not one. */
export function canonicalIp(text: string): string | undefined {
  const parsed = parseIp(text);
  return parsed ? formatIp(parsed) : undefined;
}

export function ipVersionOf(text: string): IpVersion | undefined {
  return parseIp(text)?.version;
}

export function parseCidr(text: string): Cidr | undefined {
  const [addressText = '', prefixText] = text.split('/');
  const address = parseIp(addressText);
  if (!address || prefixText === undefined || !/^\d+$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const width = bits(address.version);
  if (prefix > width) return undefined;
  const hostBits = BigInt(width - prefix);
  return { version: address.version, network: (address.value >> hostBits) << hostBits, prefix };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIp({ version: cidr.version, value: cidr.network })}/${cidr.prefix}`;
}

export function lastAddress(cidr: Cidr): bigint {
  const hostBits = BigInt(bits(cidr.version) - cidr.prefix);
  return cidr.network + (1n << hostBits) - 1n;
}

export function cidrContains(cidr: Cidr, address: IpAddress): boolean {
  return address.version === cidr.version && address.value >= cidr.network && address.value <= lastAddress(cidr);
}

/**
 * Neutron's default allocation pool: everything but the network address, the
 * gateway and (IPv4) the broadcast address. Only the common case of a gateway
 * at the first host is handled as a single pool.
 */
export function defaultPool(cidr: Cidr, gateway: bigint | undefined): { start: bigint; end: bigint } {
  const first = cidr.network + 1n;
  const last = cidr.version === 4 ? lastAddress(cidr) - 1n : lastAddress(cidr);
  const start = gateway === first ? first + 1n : first;
  return { start, end: last };
}
