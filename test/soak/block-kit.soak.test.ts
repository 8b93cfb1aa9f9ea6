/**
 * The full volume of the builder tests (test/slack/blocks/builders.test.ts
 * checks a sample): every page of a list of 2,000 floating IPs, for every
 * name set (realistic, hostile markup, 255 characters), inside Block Kit's
 * limits as a message and on the Home tab.
 */
import { describe, it } from 'vitest';
import { expectListPages, NAME_CASES, world } from '../support/slack/builder-fixtures.js';

describe.each(NAME_CASES)('a list of 2,000 floating IPs with %s names', (_case, names) => {
  it('keeps every page inside the limits, the last one included, in the channel and on the Home tab', () => {
    expectListPages(world(names), 2_000, names.other);
  });
});
