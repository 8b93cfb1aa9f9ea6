/**
 * The text helpers: names that carry Slack's formatting marks stay text, code
 * spans hold whatever is in them, counts read right in the singular.
 */
import { describe, expect, it } from 'vitest';
import { bold, code, escapeName, plural, ZERO_WIDTH_SPACE as Z } from '../../../src/slack/blocks/text.js';
import { formattedBySlack, MARKED_NAMES } from '../../support/slack/formatting.js';

describe('a name in mrkdwn', () => {
  it('would be formatted by Slack as typed (the model agrees with Slack)', () => {
    expect(formattedBySlack('*bold*')).toEqual(['*bold*']);
    expect(formattedBySlack('x _it_ y')).toEqual(['_it_']);
    expect(formattedBySlack('(`a`)')).toEqual(['`a`']);
    expect(formattedBySlack('test_instance_b')).toEqual([]);
  });

  it.each(MARKED_NAMES)('keeps %s as text: every mark kept, none formatting', (name) => {
    const escaped = escapeName(name);
    expect(formattedBySlack(escaped)).toEqual([]);
    expect(escaped.replaceAll(Z, '')).toBe(name);
  });

  it('leaves a mark inside a word alone, so test_instance stays readable and copyable; a backtick is broken even there', () => {
    expect(escapeName('test_instance')).toBe('test_instance');
    expect(escapeName('a*b~c')).toBe('a*b~c');
    expect(escapeName('a`b')).toBe(`a${Z}\`${Z}b`);
    expect(escapeName('*bold*')).toBe(`${Z}*${Z}bold${Z}*${Z}`);
  });

  it('escapes &, < and > as before', () => {
    expect(escapeName('<!channel> & _x_')).toBe(`&lt;!channel&gt; &amp; ${Z}_${Z}x${Z}_${Z}`);
  });

  it('is bold when bold holds, and plain when the name carries marks of its own', () => {
    expect(bold('web-1')).toBe('*web-1*');
    expect(bold('test_instance')).toBe('*test_instance*');
    expect(bold('*bold*')).toBe(escapeName('*bold*'));
  });
});

describe('a code span', () => {
  it('holds an address', () => {
    expect(code('192.168.100.23')).toBe('`192.168.100.23`');
    expect(code('a&b')).toBe('`a&amp;b`');
  });

  it('is not opened for a text with a backtick, which would end it early: the text is shown as a name, unaltered', () => {
    expect(code('a`b')).toBe(escapeName('a`b'));
    expect(formattedBySlack(code('a`b'))).toEqual([]);
    expect(code('a`b').replaceAll(Z, '')).toBe('a`b');
  });
});

describe('plural', () => {
  it('counts one in the singular, none and many in the plural', () => {
    expect(plural(1, 'free floating IP')).toBe('1 free floating IP');
    expect(plural(0, 'free floating IP')).toBe('0 free floating IPs');
    expect(plural(2, 'minute')).toBe('2 minutes');
    expect(plural(3, 'entry', 'entries')).toBe('3 entries');
  });
});
