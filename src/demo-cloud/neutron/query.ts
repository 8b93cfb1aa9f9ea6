/**
 * Neutron's list query semantics, shared by every collection: equality
 * filters (a repeated parameter means OR), `fields`, `sort_key`/`sort_dir`,
 * and native pagination (`limit`, `marker`, `page_reverse`) with the
 * `<collection>_links` that neutron/api/api_common.py builds: "next" unless
 * the page came back short, "previous" always on forward pages; the marker is
 * re-appended last and the other parameters keep their order.
 */
import { badRequest, httpBadRequest, NeutronError } from '../errors.js';
import type { DemoRequest } from '../http.js';
import { pythonUrlencode } from '../http.js';
import type { JsonObject, JsonValue } from '../json.js';
import { pythonListRepr } from '../json.js';

export interface CollectionSpec<T> {
  collection: string;
  /** Every attribute a client may filter or sort on. */
  attributes: ReadonlySet<string>;
  booleanAttributes?: ReadonlySet<string>;
  /** Items worth looking at for these filters; may use an index, must not skip a match. */
  candidates(filters: ReadonlyMap<string, string[]>): Iterable<T>;
  visible(item: T): boolean;
  view(item: T): JsonObject;
  byId(id: string): T | undefined;
  notFound(id: string): NeutronError;
  /** Filters that are not plain equality (tags, fixed_ips). */
  specialFilters?: Record<string, (view: JsonObject, values: string[]) => boolean>;
  /**
   * Cheap accessors for scalar attributes: equality filters on them are
   * checked on the record before its view is built (views are the costly part).
   */
  accessors?: Record<string, (item: T) => JsonValue>;
}

const CONTROL_PARAMS = new Set(['fields', 'sort_key', 'sort_dir', 'limit', 'marker', 'page_reverse']);
/** Standard attributes filter but do not sort: the real Neutron answers "['updated_at'] is invalid attribute for sort_keys". */
const UNSORTABLE = new Set(['created_at', 'updated_at', 'revision_number', 'description']);

function nonEmpty(values: string[]): string[] {
  return values.filter((value) => value !== '');
}

function toBoolean(value: string): boolean {
  const lowered = value.toLowerCase();
  if (lowered === 'true' || lowered === '1') return true;
  if (lowered === 'false' || lowered === '0') return false;
  throw new NeutronError(400, 'InvalidInput', `Invalid input for operation: '${value}' cannot be converted to boolean.`);
}

function compareValues(a: JsonValue | undefined, b: JsonValue | undefined): number {
  const aNull = a === null || a === undefined;
  const bNull = b === null || b === undefined;
  if (aNull || bNull) return aNull && bNull ? 0 : aNull ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const left = typeof a === 'string' ? a : JSON.stringify(a);
  const right = typeof b === 'string' ? b : JSON.stringify(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

function matches(value: JsonValue | undefined, wanted: string[], isBoolean: boolean): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.some((item) => matches(item, wanted, isBoolean));
  if (isBoolean) return wanted.some((w) => toBoolean(w) === value);
  if (typeof value === 'number') return wanted.some((w) => Number(w) === value);
  return wanted.includes(typeof value === 'string' ? value : JSON.stringify(value));
}

export interface ListQuery {
  fields: string[];
  sorts: Array<{ key: string; ascending: boolean }>;
  limit: number | undefined;
  marker: string | undefined;
  pageReverse: boolean;
  filters: Map<string, string[]>;
}

export function parseListQuery(req: DemoRequest, attributes: ReadonlySet<string>, special: ReadonlySet<string>): ListQuery {
  const query = req.query;
  const sortKeys = nonEmpty(query.getAll('sort_key'));
  const sortDirs = nonEmpty(query.getAll('sort_dir'));
  if (sortKeys.length !== sortDirs.length) throw httpBadRequest('The number of sort_keys and sort_dirs must be same');
  const absent = sortKeys.filter((key) => !attributes.has(key) || UNSORTABLE.has(key));
  if (absent.length > 0) throw httpBadRequest(`${pythonListRepr(absent)} is invalid attribute for sort_keys`);
  const badDirs = sortDirs.filter((dir) => dir !== 'asc' && dir !== 'desc');
  if (badDirs.length > 0) {
    throw httpBadRequest(`${pythonListRepr(badDirs)} is invalid value for sort_dirs, valid value is 'asc' and 'desc'`);
  }
  const limitText = query.get('limit');
  let limit: number | undefined;
  if (limitText !== null) {
    // Upstream forgets to interpolate '%d' here; the literal reaches the client.
    if (!/^\s*\d+\s*$/.test(limitText)) throw badRequest('limit', "Limit must be an integer 0 or greater and not '%d'");
    limit = Number(limitText) || undefined;
  }
  const filters = new Map<string, string[]>();
  for (const key of new Set(query.keys())) {
    if (CONTROL_PARAMS.has(key)) continue;
    const values = nonEmpty(query.getAll(key));
    if (values.length === 0) continue;
    if (!attributes.has(key) && !special.has(key)) {
      throw httpBadRequest(`${pythonListRepr([key])} is invalid attribute for filtering`);
    }
    filters.set(key, values);
  }
  return {
    fields: nonEmpty(query.getAll('fields')),
    sorts: sortKeys.map((key, i) => ({ key, ascending: sortDirs[i] === 'asc' })),
    limit,
    marker: limit === undefined ? undefined : (query.get('marker') ?? undefined) || undefined,
    pageReverse: (query.get('page_reverse') ?? 'False').toLowerCase() === 'true',
    filters,
  };
}

export function projectFields(view: JsonObject, fields: string[]): JsonObject {
  if (fields.length === 0) return view;
  const wanted = new Set(fields);
  return Object.fromEntries(Object.entries(view).filter(([key]) => wanted.has(key)));
}

function pagingLink(req: DemoRequest, marker: string | undefined, reverse: boolean): string {
  const pairs: Array<[string, string]> = [...req.query].filter(([key]) => key !== 'marker' && key !== 'page_reverse');
  if (marker !== undefined) pairs.push(['marker', marker]);
  if (reverse) pairs.push(['page_reverse', 'True']);
  return `${req.origin}${req.path}?${pythonUrlencode(pairs)}`;
}

/** Runs a list request against a collection; returns the response body object. */
export function listCollection<T>(req: DemoRequest, spec: CollectionSpec<T>): JsonObject {
  const special = new Set(Object.keys(spec.specialFilters ?? {}));
  const query = parseListQuery(req, spec.attributes, special);
  const booleans = spec.booleanAttributes ?? new Set<string>();
  const plainFilters = [...query.filters].filter(([key]) => !special.has(key));
  const specialFilters = [...query.filters].filter(([key]) => special.has(key));
  // Convert booleans up front so a bad value fails even when nothing would match.
  for (const [key, values] of plainFilters) if (booleans.has(key)) values.forEach(toBoolean);

  const accessors = spec.accessors ?? {};
  const early = plainFilters.filter(([key]) => accessors[key] !== undefined);
  const late = plainFilters.filter(([key]) => accessors[key] === undefined);
  // Views are the costly part: build them only when a filter, a sort key or the page needs them.
  const views = new Map<T, JsonObject>();
  const viewOf = (item: T): JsonObject => {
    let view = views.get(item);
    if (!view) {
      view = spec.view(item);
      views.set(item, view);
    }
    return view;
  };
  const valueOf = (item: T, key: string): JsonValue | undefined => {
    const accessor = accessors[key];
    return accessor ? accessor(item) : viewOf(item)[key];
  };
  let items: T[] = [];
  for (const item of spec.candidates(query.filters)) {
    if (!early.every(([key, values]) => matches(accessors[key]?.(item), values, booleans.has(key)))) continue;
    if (!spec.visible(item)) continue;
    if (late.length > 0 || specialFilters.length > 0) {
      const view = viewOf(item);
      if (!late.every(([key, values]) => matches(view[key], values, booleans.has(key)))) continue;
      if (!specialFilters.every(([key, values]) => spec.specialFilters?.[key]?.(view, values) ?? true)) continue;
    }
    items.push(item);
  }

  const sorts = [...query.sorts];
  if (query.limit !== undefined && !sorts.some((s) => s.key === 'id')) sorts.push({ key: 'id', ascending: true });
  // Each item's sort values read once, not at every comparison: a 10,000-item page sort otherwise reads them ~280,000 times.
  const keysOf = (item: T): Array<JsonValue | undefined> => sorts.map((sort) => valueOf(item, sort.key));
  const compareKeys = (a: Array<JsonValue | undefined>, b: Array<JsonValue | undefined>): number => {
    for (let i = 0; i < sorts.length; i++) {
      const result = compareValues(a[i], b[i]);
      if (result !== 0) return sorts[i]!.ascending ? result : -result;
    }
    return 0;
  };
  let keyed = items.map((item) => ({ item, keys: keysOf(item) }));
  if (sorts.length > 0) keyed.sort((a, b) => compareKeys(a.keys, b.keys));

  const body: JsonObject = {};
  if (query.limit !== undefined) {
    const limit = query.limit;
    if (query.marker !== undefined) {
      const markerItem = spec.byId(query.marker);
      if (markerItem === undefined || !spec.visible(markerItem)) throw spec.notFound(query.marker);
      const markerKeys = keysOf(markerItem);
      keyed = keyed.filter(({ keys }) => (query.pageReverse ? compareKeys(keys, markerKeys) < 0 : compareKeys(keys, markerKeys) > 0));
    }
    items = keyed.map(({ item }) => item);
    items = query.pageReverse ? items.slice(Math.max(0, items.length - limit)) : items.slice(0, limit);
    const page = items.map(viewOf);
    const links: JsonObject[] = [];
    if (!(page.length < limit && !query.pageReverse)) {
      links.push({ rel: 'next', href: pagingLink(req, page.at(-1)?.['id'] as string | undefined, false) });
    }
    if (!(page.length < limit && query.pageReverse)) {
      links.push({ rel: 'previous', href: pagingLink(req, page[0]?.['id'] as string | undefined, true) });
    }
    body[spec.collection] = page.map((view) => projectFields(view, query.fields));
    body[`${spec.collection}_links`] = links;
    return body;
  }
  body[spec.collection] = keyed.map(({ item }) => projectFields(viewOf(item), query.fields));
  return body;
}

/** Candidates from an index when one of the indexed filters is present, else everything. */
export function indexedCandidates<T>(
  filters: ReadonlyMap<string, string[]>,
  indexes: Record<string, (value: string) => Iterable<T>>,
  all: () => Iterable<T>,
): Iterable<T> {
  for (const [key, lookup] of Object.entries(indexes)) {
    const values = filters.get(key);
    if (!values) continue;
    const seen = new Set<T>();
    for (const value of values) for (const item of lookup(value)) seen.add(item);
    return seen;
  }
  return all();
}

/** tags / tags-any / not-tags / not-tags-any, comma-separated as in Neutron. */
export const TAG_FILTERS: Record<string, (view: JsonObject, values: string[]) => boolean> = {
  tags: (view, values) => tagsOf(view, values, (have, want) => want.every((t) => have.includes(t))),
  'tags-any': (view, values) => tagsOf(view, values, (have, want) => want.some((t) => have.includes(t))),
  'not-tags': (view, values) => tagsOf(view, values, (have, want) => !want.every((t) => have.includes(t))),
  'not-tags-any': (view, values) => tagsOf(view, values, (have, want) => !want.some((t) => have.includes(t))),
};

function tagsOf(view: JsonObject, values: string[], test: (have: string[], want: string[]) => boolean): boolean {
  const have = Array.isArray(view['tags']) ? view['tags'].map(String) : [];
  const want = values.flatMap((value) => value.split(',')).filter((t) => t !== '');
  return test(have, want);
}
