/** A confirmation token is used once, and only for a plan this version of fipbot can run. */
import { describe, expect, it } from 'vitest';
import { PRODUCTION_TIMING } from '../../../src/config/timing.js';
import type { SlackDeps } from '../../../src/slack/deps.js';
import { takeOnce } from '../../../src/slack/flows/changes.js';
import { MemoryInteractionStore } from '../../../src/slack/state/interaction-store.js';

const actor = { userId: 'U0ALICE01', teamId: 'T0SIM0001' };

function deps(): SlackDeps {
  return { store: new MemoryInteractionStore(), timing: PRODUCTION_TIMING } as unknown as SlackDeps;
}

describe('taking a confirmation', () => {
  it('gives the plan to the first click, and "duplicate" to the next', async () => {
    const d = deps();
    const token = await d.store.put({ change: { operation: 'release', plan: {} }, actor, via: 'command' }, 60_000);
    expect(await takeOnce(d, token)).toMatchObject({ change: { operation: 'release' } });
    expect(await takeOnce(d, token)).toBe('duplicate');
  });

  it('treats a plan stored by an earlier version (its old shape, or an operation it no longer has) as expired', async () => {
    const d = deps();
    const old = await d.store.put({ action: { kind: 'allocate', plan: {} }, actor, via: 'command' }, 60_000);
    expect(await takeOnce(d, old)).toBe('expired');
    const unknown = await d.store.put({ change: { operation: 'teleport', plan: {} }, actor, via: 'command' }, 60_000);
    expect(await takeOnce(d, unknown)).toBe('expired');
  });
});
