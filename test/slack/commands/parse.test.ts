import { describe, expect, it } from 'vitest';
import { escapeName } from '../../../src/slack/blocks/text.js';
import { closest, normalize, parseCommand, withWordReplaced } from '../../../src/slack/commands/parse.js';

describe('parsing /fip text', () => {
  it('opens the modal for an empty command', () => {
    expect(parseCommand('')).toEqual({ kind: 'modal' });
    expect(parseCommand('   ')).toEqual({ kind: 'modal' });
  });

  it('reads list filters, with the words people use for them', () => {
    expect(parseCommand('list')).toEqual({ kind: 'list', filter: 'all' });
    expect(parseCommand('list free')).toEqual({ kind: 'list', filter: 'free' });
    expect(parseCommand('ls Attached')).toEqual({ kind: 'list', filter: 'attached' });
    expect(parseCommand('list unused')).toEqual({ kind: 'list', filter: 'free' });
    expect(parseCommand('list everything')).toMatchObject({ kind: 'invalid', topic: 'list' });
  });

  it('accepts create and its aliases, with or without a pool', () => {
    expect(parseCommand('create')).toEqual({ kind: 'create' });
    expect(parseCommand('allocate public')).toEqual({ kind: 'create', pool: 'public' });
    expect(parseCommand('new --pool public-b')).toEqual({ kind: 'create', pool: 'public-b' });
    expect(parseCommand('create a b')).toMatchObject({ kind: 'invalid', topic: 'create' });
  });

  it('takes the two attach arguments in either order, recognising the IP by its shape', () => {
    const expected = { kind: 'attach', ip: '192.168.100.23', instance: 'web-1' };
    expect(parseCommand('attach 192.168.100.23 web-1')).toEqual(expected);
    expect(parseCommand('attach web-1 192.168.100.23')).toEqual(expected);
    expect(parseCommand('associate web-1 192.168.100.23')).toEqual(expected);
    expect(parseCommand('add 192.168.100.23 web-1')).toEqual(expected);
  });

  it('allocates and attaches with "new", in either order, optionally from a pool', () => {
    expect(parseCommand('attach new web-1')).toEqual({ kind: 'attach', ip: 'new', instance: 'web-1' });
    expect(parseCommand('attach web-1 NEW --pool public-b')).toEqual({ kind: 'attach', ip: 'new', instance: 'web-1', pool: 'public-b' });
    expect(parseCommand('attach 192.168.100.23 web-1 --pool public')).toMatchObject({ kind: 'invalid', topic: 'attach' });
  });

  it('reads --fixed-ip however a phone typed the dashes', () => {
    const expected = { kind: 'attach', ip: '192.168.100.23', instance: 'db-1', fixedIp: '10.0.0.7' };
    for (const text of [
      'attach 192.168.100.23 db-1 --fixed-ip 10.0.0.7',
      'attach 192.168.100.23 db-1 --fixed-ip=10.0.0.7',
      'attach 192.168.100.23 db-1 \u2014fixed-ip 10.0.0.7',
      'attach 192.168.100.23 db-1 \u2013fixed-ip 10.0.0.7',
      'attach 192.168.100.23 db-1 -fixed-ip 10.0.0.7',
      'attach 192.168.100.23 db-1 --fixed_ip 10.0.0.7',
    ]) {
      expect(parseCommand(text), text).toEqual(expected);
    }
    expect(parseCommand('attach 192.168.100.23 db-1 --fixed-ip banana')).toMatchObject({ kind: 'invalid', topic: 'attach' });
    expect(parseCommand('attach 192.168.100.23 db-1 --fixed-ip')).toMatchObject({ kind: 'invalid', problem: '--fixed-ip needs a value.' });
  });

  it('keeps dashes inside names intact', () => {
    expect(parseCommand('explain web\u2014prod')).toEqual({ kind: 'explain', instance: 'web\u2014prod' });
    expect(parseCommand('explain web-1')).toEqual({ kind: 'explain', instance: 'web-1' });
  });

  it('refuses attach without a recognisable IP rather than guessing', () => {
    expect(parseCommand('attach web-1 db-1')).toMatchObject({ kind: 'invalid', topic: 'attach' });
    expect(parseCommand('attach web-1')).toMatchObject({ kind: 'invalid', topic: 'attach' });
    expect(parseCommand('attach 192.168.1 web-1')).toMatchObject({ kind: 'invalid', topic: 'attach' });
  });

  it('reads detach with an optional instance in either order, and release with one IP', () => {
    expect(parseCommand('detach 192.168.100.23')).toEqual({ kind: 'detach', ip: '192.168.100.23' });
    expect(parseCommand('disassociate 192.168.100.23 web-1')).toEqual({ kind: 'detach', ip: '192.168.100.23', instance: 'web-1' });
    expect(parseCommand('remove web-1 192.168.100.23')).toEqual({ kind: 'detach', ip: '192.168.100.23', instance: 'web-1' });
    expect(parseCommand('release 192.168.100.23')).toEqual({ kind: 'release', ip: '192.168.100.23' });
    expect(parseCommand('delete 192.168.100.23')).toEqual({ kind: 'release', ip: '192.168.100.23' });
    expect(parseCommand('release web-1')).toMatchObject({ kind: 'invalid', topic: 'release' });
  });

  it('accepts a floating IP id wherever an address is expected', () => {
    expect(parseCommand('release a947d2ce-3d8e-413b-8985-0e2f18961cbe')).toEqual({
      kind: 'release',
      ip: 'a947d2ce-3d8e-413b-8985-0e2f18961cbe',
    });
  });

  it('reads explain and why, with quoted names that contain spaces', () => {
    expect(parseCommand('why test_instance')).toEqual({ kind: 'explain', instance: 'test_instance' });
    expect(parseCommand('explain "my server"')).toEqual({ kind: 'explain', instance: 'my server' });
    expect(parseCommand('explain \u201cmy server\u201d')).toEqual({ kind: 'explain', instance: 'my server' });
  });

  it('unwraps the links Slack puts around addresses and names', () => {
    expect(normalize('attach <http://192.168.100.23|192.168.100.23> web-1')).toBe('attach 192.168.100.23 web-1');
    expect(parseCommand('release <http://192.168.100.23>')).toEqual({ kind: 'release', ip: '192.168.100.23' });
  });

  it('drops the zero-width spaces a name copied from a fipbot message carries, and keeps the joiners inside emoji', () => {
    // "*bold*" as fipbot shows it (escapeName), copied back into a command.
    expect(parseCommand(`explain ${escapeName('*bold*')}`)).toEqual({ kind: 'explain', instance: '*bold*' });
    expect(parseCommand(`attach 192.168.100.23 ${escapeName('a`b')}`)).toEqual({ kind: 'attach', ip: '192.168.100.23', instance: 'a`b' });
    expect(parseCommand('explain \u2060web-1\ufeff')).toEqual({ kind: 'explain', instance: 'web-1' });
    expect(parseCommand('explain 👩\u200d💻')).toEqual({ kind: 'explain', instance: '👩\u200d💻' });
  });

  it('answers an unknown word with the closest command', () => {
    expect(parseCommand('atach 192.168.100.23 web-1')).toEqual({
      kind: 'invalid',
      problem: '"atach" is not a fipbot command.',
      suggestion: 'attach',
    });
    expect(parseCommand('relase 1.2.3.4')).toMatchObject({ suggestion: 'release' });
    expect(parseCommand('frobnicate')).toEqual({ kind: 'invalid', problem: '"frobnicate" is not a fipbot command.' });
    expect(closest('lst')).toBe('list');
  });

  it('gives help, optionally about one command', () => {
    expect(parseCommand('help')).toEqual({ kind: 'help' });
    expect(parseCommand('help associate')).toEqual({ kind: 'help', topic: 'attach' });
  });

  it('refuses unknown options and absurdly long input with a clear message', () => {
    expect(parseCommand('release 1.2.3.4 --force')).toMatchObject({ kind: 'invalid', topic: 'release' });
    expect(parseCommand(`explain ${'x'.repeat(300)}`)).toMatchObject({ kind: 'invalid', topic: 'explain' });
    expect(parseCommand('x'.repeat(5000))).toMatchObject({ kind: 'invalid' });
  });
});

describe('what Slack does to &, < and >', () => {
  it('decodes the entities Slack sends, after unwrapping its link markup', () => {
    expect(parseCommand('explain web&amp;db')).toEqual({ kind: 'explain', instance: 'web&db' });
    expect(parseCommand('explain a&lt;b&gt;')).toEqual({ kind: 'explain', instance: 'a<b>' });
    expect(parseCommand('explain a&amp;lt;b')).toEqual({ kind: 'explain', instance: 'a&lt;b' });
    expect(parseCommand('attach <http://192.168.100.23|192.168.100.23> web&amp;1')).toEqual({
      kind: 'attach',
      ip: '192.168.100.23',
      instance: 'web&1',
    });
  });
});

describe('the typed command with one word replaced (the choices of a refusal)', () => {
  it('replaces the word, keeps the rest (quoted names quoted), and drops a leading /fip', () => {
    expect(withWordReplaced('attach 192.168.100.5 web', 'web', 'id-1')).toBe('attach 192.168.100.5 id-1');
    expect(withWordReplaced('/fip attach new "my web" --pool pubic', 'pubic', 'pool-id')).toBe('attach new "my web" --pool pool-id');
    expect(withWordReplaced('attach new “my web”', 'my web', 'id-2')).toBe('attach new id-2');
  });

  it('says so when the word is not one of the command', () => {
    expect(withWordReplaced('explain web-1', 'web', 'id-1')).toBeUndefined();
  });
});
