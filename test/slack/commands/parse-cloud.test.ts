/** `--cloud NAME` belongs to every command (several clouds): taken out before the operation reads its words. */
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/slack/commands/parse.js';
import { withCloud } from '../../../src/slack/clouds.js';

describe('--cloud', () => {
  it('is read anywhere in any command, in both spellings, and the operation sees the rest', () => {
    expect(parseCommand('attach 192.168.100.201 web-1 --cloud prod')).toMatchObject({
      kind: 'attach',
      ip: '192.168.100.201',
      cloud: 'prod',
    });
    expect(parseCommand('--cloud=staging list free')).toMatchObject({ kind: 'list', cloud: 'staging' });
    // A phone's long dash, as for every option.
    expect(parseCommand('list —cloud staging')).toMatchObject({ kind: 'list', cloud: 'staging' });
  });

  it('with no other word opens the form on that cloud', () => {
    expect(parseCommand('--cloud prod')).toEqual({ kind: 'modal', cloud: 'prod' });
  });

  it('needs a name', () => {
    expect(parseCommand('list --cloud')).toMatchObject({ kind: 'invalid', problem: '--cloud needs the name of a cloud.' });
    expect(parseCommand('list --cloud --free')).toMatchObject({ kind: 'invalid' });
  });

  it('a command without it has no cloud', () => {
    expect(parseCommand('list')).not.toHaveProperty('cloud');
  });

  it('withCloud puts one --cloud in place of any', () => {
    expect(withCloud('release 1.2.3.4 --cloud prod', 'staging')).toBe('release 1.2.3.4 --cloud staging');
    expect(withCloud('', 'prod')).toBe('--cloud prod');
  });
});
