/**
 * JSON serialisers that reproduce the two styles the real services emit.
 *
 * Python's json.dumps (used by Keystone's token body, Nova, and Neutron's
 * floating IP / router / error bodies) separates with ", " and ": " and
 * escapes non-ASCII; Neutron's network / subnet / port bodies come out
 * compact. Clients must not care, but byte-compatible bodies make the recorded
 * samples directly comparable and catch parsers that assume one style.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type JsonStyle = 'python' | 'compact';

const NON_ASCII = /[\u007f-\uffff]/;

/**
 * A number Python holds as a float, so json.dumps writes `1.0` where
 * JavaScript would write `1` (Nova's rxtx_factor). Compact JSON writes the number.
 */
export class PythonFloat {
  constructor(readonly value: number) {}

  toJSON(): number {
    return this.value;
  }
}

export function pythonJson(value: unknown): string {
  // V8's JSON.stringify, then Python's separators and escapes in one pass: a page of 2,500 floating IPs
  // took 40-70 ms built value by value, and the demo cloud serves 10,000 in the leak benchmark.
  let floats = false;
  const compact = JSON.stringify(value, function (this: Record<string, unknown>, key: string, item: unknown) {
    // The holder still has the PythonFloat; `item` is its toJSON() already.
    const original = this[key];
    if (!(original instanceof PythonFloat)) return item;
    floats = true;
    return `${FLOAT_MARK}${Number.isInteger(original.value) ? `${original.value}.0` : JSON.stringify(original.value)}`;
  }) as string | undefined;
  if (compact === undefined) return 'null';
  const spaced = withPythonSeparators(compact);
  const ascii = NON_ASCII.test(spaced) ? spaced.replace(NON_ASCII_ALL, escapeChar) : spaced;
  return floats ? ascii.replace(FLOAT_TOKEN, (_, number: string) => number) : ascii;
}

/** ", " and ": " outside strings; strings are skipped whole (indexOf finds their end). */
function withPythonSeparators(json: string): string {
  let out = '';
  let from = 0;
  let i = 0;
  while (i < json.length) {
    const c = json.charCodeAt(i);
    if (c === QUOTE) {
      let end = json.indexOf('"', i + 1);
      while (escaped(json, end)) end = json.indexOf('"', end + 1);
      i = end + 1;
    } else if (c === COMMA || c === COLON) {
      out += `${json.slice(from, i + 1)} `;
      from = i = i + 1;
    } else {
      i++;
    }
  }
  return out + json.slice(from);
}

/** The quote at `at` is escaped when an odd number of backslashes precede it. */
function escaped(json: string, at: number): boolean {
  let backslashes = 0;
  while (json.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
  return backslashes % 2 === 1;
}

const [QUOTE, COMMA, COLON, BACKSLASH] = [34, 44, 58, 92];
const NON_ASCII_ALL = /[\u007f-\uffff]/g;
/** Marks a Python float in the compact text; a control character no real value carries. */
const FLOAT_MARK = '\u0001pyfloat:';
const FLOAT_TOKEN = /"\\u0001pyfloat:([^"]+)"/g;

function escapeChar(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

export function serialize(value: unknown, style: JsonStyle): string {
  return style === 'python' ? pythonJson(value) : JSON.stringify(value);
}

/** Python's repr() of a list of strings, as Neutron puts it in some messages: ['a', 'b']. */
export function pythonListRepr(items: readonly string[]): string {
  return `[${items.map((item) => `'${item}'`).join(', ')}]`;
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A request value as text for an error message (strings as they are, anything else as JSON). */
export function describeValue(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
}

/** Python's int(text) for base-10 text: spaces around, a sign, digits with single underscores. */
export function pythonInt(text: string): bigint | undefined {
  const match = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(text);
  if (!match) return undefined;
  const value = BigInt((match[2] ?? '').replace(/_/g, ''));
  return match[1] === '-' ? -value : value;
}

/** Python's str() of a JSON value, as Nova's validation messages print it (Value: ...). */
export function pythonStr(value: unknown): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}

/** Python's repr() of a JSON value (dicts and lists approximated, scalars exact). */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return JSON.stringify(value);
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const escaped = value
      .replace(/\\/g, '\\\\')
      .replace(/\n/g, '\\n')
      .replace(/\r/g, '\\r')
      .replace(/\t/g, '\\t')
      .split(quote)
      .join(`\\${quote}`);
    return `${quote}${escaped}${quote}`;
  }
  if (Array.isArray(value)) return `[${value.map((item) => pythonRepr(item)).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(([key, item]) => `${pythonRepr(key)}: ${pythonRepr(item)}`);
    return `{${entries.join(', ')}}`;
  }
  return typeof value === 'bigint' ? value.toString() : 'None';
}
