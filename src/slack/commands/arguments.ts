/** Reading a command's words: options, addresses, and quoting a bad word back without flooding the reply. */

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isIpv4(word: string): boolean {
  return IPV4.test(word);
}

/** An IPv4 address or a floating IP id: what may stand where an IP is expected. */
export function looksLikeIp(word: string): boolean {
  return IPV4.test(word) || UUID.test(word);
}

/** A word as quoted back in a problem: at most 40 characters. */
export function clipWord(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Separates `--name value` / `--name=value` options from positional words. */
export function splitOptions(
  args: readonly string[],
  known: readonly string[],
): { positional: string[]; options: Record<string, string>; problem?: string } {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (!word.startsWith('--')) {
      positional.push(word);
      continue;
    }
    const [rawName, inline] = splitOnce(word.slice(2), '=');
    const name = rawName.toLowerCase().replace(/_/g, '-');
    const canonical = name === 'fixed' || name === 'fixedip' ? 'fixed-ip' : name;
    if (!known.includes(canonical)) {
      return {
        positional,
        options,
        problem: `Unknown option --${clipWord(rawName)}${known.length ? `; this command takes ${known.map((k) => `--${k}`).join(', ')}` : ''}.`,
      };
    }
    const value = inline ?? args[++i];
    if (value === undefined || value === '') return { positional, options, problem: `--${canonical} needs a value.` };
    options[canonical] = value;
  }
  return { positional, options };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
