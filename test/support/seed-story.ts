/**
 * The seed's story, as steps run against the floating-IP service: allocate
 * from "public", list, try to attach to the instance that sits on "public"
 * (explained refusal, nothing changed), attach to "web-1" on the private
 * network, detach, release, then allocate-and-attach in one go and release.
 * Shared by the recorder (real cloud) and the replay test, so both make the
 * very same calls.
 */
import type { FloatingIpService } from '../../src/operations/service.js';

export interface StoryState {
  ip: string;
  newIp: string;
}

export interface StoryStep {
  name: string;
  run(service: FloatingIpService, state: StoryState): Promise<unknown>;
}

export const SEED_STORY: StoryStep[] = [
  { name: 'allocate', run: (s) => s.allocate({ description: 'seed story' }) },
  { name: 'list-after-allocate', run: (s) => s.list('all') },
  { name: 'attach-to-public-instance', run: (s, st) => s.attach({ ip: st.ip, instance: 'test_instance' }) },
  { name: 'diagnose-public-instance', run: (s) => s.diagnose('test_instance') },
  { name: 'attach-to-private-instance', run: (s, st) => s.attach({ ip: st.ip, instance: 'web-1' }) },
  { name: 'list-attached', run: (s) => s.list('attached') },
  { name: 'detach', run: (s, st) => s.detach({ ip: st.ip, instance: 'web-1' }) },
  { name: 'release', run: (s, st) => s.release(st.ip) },
  { name: 'attach-new', run: (s) => s.attach({ ip: 'new', instance: 'web-1', description: 'seed story' }) },
  { name: 'release-new', run: (s, st) => s.release(st.newIp) },
  { name: 'list-at-end', run: (s) => s.list('all') },
];

/** Fixed so that the recorded and the replayed requests carry the same descriptions. */
export const STORY_OPERATION_TAG = 'seedstry';
