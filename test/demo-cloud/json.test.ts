/** The demo cloud's Python-style JSON, byte for byte what Python's json.dumps wrote for the same values. */
import { describe, expect, it } from 'vitest';
import { pythonJson, PythonFloat } from '../../src/demo-cloud/json.js';

describe('pythonJson', () => {
  it("writes Python's separators, and escapes what Python escapes, inside strings only", () => {
    const value = { floatingip: { id: 'x', port_id: null, tags: [], description: 'café "q" a,b:c \\ 日 😀', n: 3, ok: true } };
    // json.dumps(value) in Python 3.11:
    expect(pythonJson(value)).toBe(
      '{"floatingip": {"id": "x", "port_id": null, "tags": [], "description": "caf\\u00e9 \\"q\\" a,b:c \\\\ \\u65e5 \\ud83d\\ude00", "n": 3, "ok": true}}',
    );
    expect(pythonJson('\u007f\u0001\n')).toBe('"\\u007f\\u0001\\n"');
  });

  it('writes a Python float with its ".0", leaves undefined members out, and null for nothing', () => {
    expect(pythonJson({ rxtx_factor: new PythonFloat(1), list: [{}, [], new PythonFloat(2.5)], gone: undefined })).toBe(
      '{"rxtx_factor": 1.0, "list": [{}, [], 2.5]}',
    );
    expect(pythonJson(undefined)).toBe('null');
  });
});
