/**
 * Neutron's `revision-if-match` extension (with `standard-attr-revisions`):
 * `If-Match: revision_number=N` makes a change to a resource conditional on
 * its revision. Behaviour read from Zed's sources:
 *
 * - The header goes through webob's strong ETag parser: a value without any
 *   quoted tag is ONE tag (so `revision_number=1, revision_number=2` is one
 *   malformed tag), quoted tags are split (`"revision_number=1",
 *   "revision_number=2"` is two), weak `W/"..."` tags and `*` are ignored.
 *   Only tags starting with `revision_number=` count
 *   (neutron.api.api_common.check_request_for_revision_constraint): two of
 *   them, or one whose rest is not a Python int(), answer 400 BadRequest.
 * - The QueryParametersHook parses it on every request to a collection or
 *   item, before the policy check (so before any 404), after body validation.
 *   With a well-formed constraint on a collection URL (list, create) or on
 *   quotas it reads a `resource_id` that was never set: a KeyError, i.e. 500.
 * - The revision plugin compares at the first database flush of the request,
 *   so every check the plugin makes before writing (association rule,
 *   in-use conflicts, policy) answers first; a GET never flushes and ignores
 *   the constraint. A mismatch is webob's HTTPPreconditionFailed subclass
 *   RevisionNumberConstraintFailed: 412, "Constrained to N, but current
 *   revision is M", and the transaction rolls back: nothing changes.
 */
import { badRequest, NeutronError } from '../errors.js';
import type { DemoRequest } from '../http.js';
import { header } from '../http.js';
import { pythonInt } from '../json.js';

/** webob's _rx_etag: an optional W/ and a double-quoted tag after start or whitespace. */
const QUOTED_ETAG = /(?:^|\s)(W\/)?"((?:\\"|.)*?)"/g;

/** webob.etag.ETagMatcher.parse(value, strong=True).etags ('*' is AnyETag, which has none). */
function strongEtags(value: string): string[] {
  if (value === '' || value === '*') return [];
  const matches = [...value.matchAll(QUOTED_ETAG)];
  if (matches.length === 0) return [value];
  return matches.filter((match) => match[1] === undefined).map((match) => match[2] ?? '');
}

/** The revision an If-Match header asks for, or undefined; 400 for a malformed one. */
export function requestedRevision(req: DemoRequest): bigint | undefined {
  const value = header(req, 'if-match');
  if (value === undefined) return undefined;
  let revision: bigint | undefined;
  for (const etag of strongEtags(value)) {
    if (!etag.startsWith('revision_number=')) continue;
    if (revision !== undefined) {
      // The upstream message ends with a period before the template adds its own.
      throw badRequest('if-match', 'Multiple revision_number etags are not supported.');
    }
    revision = pythonInt(etag.split('revision_number=')[1] ?? '');
    if (revision === undefined) {
      throw badRequest('if-match', 'Revision number etag must be in the format of revision_number=<int>');
    }
  }
  return revision;
}

/**
 * What the QueryParametersHook does with the header: 400 when malformed, and
 * the KeyError 500 when a constraint names no item (collection URLs, quotas).
 */
export function checkIfMatchHeader(req: DemoRequest): void {
  if (requestedRevision(req) === undefined) return;
  const segments = req.servicePath
    .replace(/\.json$/, '')
    .split('/')
    .filter((segment) => segment !== '');
  const namesItem = segments.length >= 3 && segments[1] !== 'quotas';
  if (!namesItem) {
    throw new NeutronError(500, 'HTTPInternalServerError', 'Request Failed: internal server error while processing your request.');
  }
}

/** The revision plugin's check, to run right before the first change to `resource`. */
export function enforceRevision(req: DemoRequest, resource: { revisionNumber: number }): void {
  const expected = requestedRevision(req);
  if (expected === undefined || expected === BigInt(resource.revisionNumber)) return;
  throw new NeutronError(
    412,
    'RevisionNumberConstraintFailed',
    `Constrained to ${expected.toString()}, but current revision is ${resource.revisionNumber}`,
  );
}
