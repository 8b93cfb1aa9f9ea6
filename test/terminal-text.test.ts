import { describe, expect, it } from 'vitest';
import { printable } from '../src/terminal-text.js';

describe('text for a terminal', () => {
  it('removes C0 and C1 controls and bidi overrides, keeps line feeds and what is left of a sequence visible', () => {
    expect(printable('a\x1b[2J\x1b[31mb\x07\x08\r\x9b2Jc\x00\x7f')).toBe('a[2J[31mb2Jc');
    expect(printable('one\ntwo\tthree')).toBe('one\ntwo three');
    expect(printable('web-1\u202e1-bew\u2066x\u2069')).toBe('web-11-bewx');
    expect(printable('192.168.100.12 → web-1 ✅ ─')).toBe('192.168.100.12 → web-1 ✅ ─');
  });
});
