/**
 * What Nova boots servers from: its image proxy (GET /images, /images/detail,
 * /images/{id}; gone from microversion 2.36 on, where Nova answers a plain
 * 404) and flavors (GET /flavors, /flavors/detail, /flavors/{id}). Views
 * follow nova/api/openstack/compute/views/{images,flavors}.py key for key;
 * the flavor bodies match the lengths the real Zed cloud logged for m1.tiny
 * byte for byte. Plus the boot-time lookups of imageRef and flavorRef with
 * Nova's texts (servers.py create: the flavor first, then the image).
 */
import { NovaError } from './errors.js';
import type { DemoRequest } from './http.js';
import { isUuidLike } from './ids.js';
import { pythonInt, PythonFloat, pythonRepr, pythonStr } from './json.js';
import type { AuthContext, Flavor, Image } from './model.js';
import type { LinkBase, Microversion } from './nova-views.js';
import { atLeast } from './nova-views.js';
import type { Store } from './store.js';

/** MAX_PROXY_API_SUPPORT_VERSION: the image proxy answers only below 2.36. */
export const MAX_IMAGE_PROXY_MINOR = 35;

type View = Record<string, unknown>;

export function requireImageProxy(version: Microversion): void {
  // VersionNotFoundForAPIMethod becomes a bare HTTPNotFound: it looks as if the API never existed.
  if (version.minor > MAX_IMAGE_PROXY_MINOR) throw new NovaError(404, 'itemNotFound', 'The resource could not be found.');
}

function links(base: LinkBase, collection: string, id: string): View[] {
  return [
    { rel: 'self', href: `${base.application}/${collection}/${id}` },
    { rel: 'bookmark', href: `${base.bookmark}/${collection}/${id}` },
  ];
}

function imageLinks(base: LinkBase, image: Image): View[] {
  // Nova adds Glance's own URL for the image; the demo cloud has no Glance, so this one leads nowhere.
  return [
    ...links(base, 'images', image.id),
    { rel: 'alternate', type: 'application/vnd.openstack.image', href: `${base.image}/images/${image.id}` },
  ];
}

const IMAGE_STATUS: Record<string, string> = {
  active: 'ACTIVE',
  queued: 'SAVING',
  saving: 'SAVING',
  deleted: 'DELETED',
  pending_delete: 'DELETED',
  killed: 'ERROR',
};
const IMAGE_PROGRESS: Record<string, number> = { queued: 25, saving: 50, active: 100 };

export function imageSummary(base: LinkBase, image: Image): View {
  return { id: image.id, name: image.name, links: imageLinks(base, image) };
}

export function imageDetail(base: LinkBase, image: Image): View {
  return {
    id: image.id,
    name: image.name,
    minRam: image.minRamMb,
    minDisk: image.minDiskGb,
    metadata: { ...image.properties },
    created: image.createdAt,
    updated: image.updatedAt,
    status: IMAGE_STATUS[image.status] ?? 'UNKNOWN',
    progress: IMAGE_PROGRESS[image.status] ?? 0,
    'OS-EXT-IMG-SIZE:size': image.sizeBytes,
    links: imageLinks(base, image),
  };
}

/** The proxy's filters that mean something here: name (exact) and status (any case). */
export function listImages(store: Store, req: DemoRequest): Image[] {
  const name = req.query.get('name');
  const status = req.query.get('status')?.toLowerCase();
  return [...store.images.values()].filter(
    (image) => (name === null || image.name === name) && (status === undefined || image.status === status),
  );
}

export function showImage(store: Store, id: string): Image {
  const image = store.images.get(id);
  if (!image) throw new NovaError(404, 'itemNotFound', 'Image not found.');
  return image;
}

export function flavorSummary(base: LinkBase, flavor: Flavor, version: Microversion): View {
  const view: View = { id: flavor.id, name: flavor.name, links: links(base, 'flavors', flavor.id) };
  if (atLeast(version, 55)) view['description'] = flavor.description;
  return view;
}

export function flavorDetail(base: LinkBase, flavor: Flavor, version: Microversion): View {
  const view: View = {
    id: flavor.id,
    name: flavor.name,
    ram: flavor.ramMb,
    disk: flavor.diskGb,
    // Before 2.75 a zero swap (or rxtx_factor) shows as "".
    swap: flavor.swapMb || (atLeast(version, 75) ? 0 : ''),
    'OS-FLV-EXT-DATA:ephemeral': flavor.ephemeralGb,
    'OS-FLV-DISABLED:disabled': flavor.disabled,
    vcpus: flavor.vcpus,
    'os-flavor-access:is_public': flavor.isPublic,
    rxtx_factor: flavor.rxtxFactor ? new PythonFloat(flavor.rxtxFactor) : '',
    links: links(base, 'flavors', flavor.id),
  };
  if (atLeast(version, 55)) view['description'] = flavor.description;
  // The extra-specs policy lets a project reader see them (none here).
  if (atLeast(version, 61)) view['extra_specs'] = {};
  return view;
}

function intFilter(req: DemoRequest, name: string): bigint | undefined {
  const text = req.query.get(name);
  if (text === null) return undefined;
  const value = pythonInt(text);
  if (value === undefined) throw new NovaError(400, 'badRequest', `Invalid ${name} filter [${text}]`);
  return value;
}

/** Public, enabled flavors (admins see all), with the minRam / minDisk filters, by id. */
export function listFlavors(store: Store, req: DemoRequest, auth: AuthContext): Flavor[] {
  const minRam = intFilter(req, 'minRam');
  const minDisk = intFilter(req, 'minDisk');
  return [...store.flavors.values()]
    .filter((flavor) => auth.isAdmin || (flavor.isPublic && !flavor.disabled))
    .filter((flavor) => minRam === undefined || BigInt(flavor.ramMb) >= minRam)
    .filter((flavor) => minDisk === undefined || BigInt(flavor.diskGb) >= minDisk)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function flavorById(store: Store, id: string): Flavor | undefined {
  // flavorid is compared by MySQL's case-insensitive collation.
  const wanted = id.toLowerCase();
  for (const flavor of store.flavors.values()) if (flavor.id.toLowerCase() === wanted) return flavor;
  return undefined;
}

export function showFlavor(store: Store, id: string): Flavor {
  const flavor = flavorById(store, id);
  if (!flavor) throw new NovaError(404, 'itemNotFound', `Flavor ${id} could not be found.`);
  return flavor;
}

// ---- boot-time checks (POST /servers) -------------------------------------

function invalidField(field: string, value: unknown, reason: string): NovaError {
  return new NovaError(400, 'badRequest', `Invalid input for field/attribute ${field}. Value: ${pythonStr(value)}. ${reason}`);
}

/**
 * The request schema's part (before anything is looked up): imageRef a UUID
 * (or empty), flavorRef a non-empty string or an integer. Missing or empty
 * refs are let through (the demo boots cirros / m1.tiny then).
 */
export function validateBootRefs(server: Record<string, unknown>): void {
  const imageRef = server['imageRef'];
  if (imageRef !== undefined && imageRef !== '' && !(typeof imageRef === 'string' && isUuidLike(imageRef))) {
    throw invalidField('imageRef', imageRef, `${pythonRepr(imageRef)} is not valid under any of the given schemas`);
  }
  const flavorRef = server['flavorRef'];
  if (flavorRef === undefined) return;
  if (flavorRef === '') throw invalidField('flavorRef', flavorRef, "'' is too short");
  if (typeof flavorRef !== 'string' && !(typeof flavorRef === 'number' && Number.isInteger(flavorRef))) {
    throw invalidField('flavorRef', flavorRef, `${pythonRepr(flavorRef)} is not of type 'string', 'integer'`);
  }
}

/** nova.api.openstack.common.get_id_from_href: the last segment of the URL's path. */
function idFromHref(href: string): string {
  const path = href
    .replace(/[?#].*$/, '')
    .replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]*/, '')
    .replace(/^\/\/[^/]*/, '');
  return path.split('/').at(-1) ?? '';
}

/** get_flavor_by_flavor_id; FlavorNotFound is a 400 on boot. */
export function flavorForBoot(store: Store, flavorRef: unknown): Flavor | undefined {
  // validateBootRefs let only strings and integers through.
  if (typeof flavorRef !== 'string' && typeof flavorRef !== 'number') return undefined;
  const id = idFromHref(String(flavorRef));
  const flavor = flavorById(store, id);
  if (!flavor) throw new NovaError(400, 'badRequest', `Flavor ${id} could not be found.`);
  return flavor;
}

/** compute API _get_image; Glance's ImageNotFound is a 400 on boot. */
export function imageForBoot(store: Store, imageRef: unknown): Image | undefined {
  if (typeof imageRef !== 'string' || imageRef === '') return undefined;
  const wanted = imageRef.toLowerCase();
  for (const image of store.images.values()) if (image.id.toLowerCase() === wanted) return image;
  throw new NovaError(400, 'badRequest', 'Can not find requested image');
}
