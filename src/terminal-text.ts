/**
 * Text fit for a terminal: what the cloud or Slack hands us (a server's name,
 * an error message) is printed, never obeyed. An ESC, CSI or BEL in a name
 * would otherwise clear or recolour the operator's screen.
 */

/**
 * C0 and C1 control characters (ESC, CSI, BEL, backspace, carriage return...)
 * and the bidi overrides that reorder what follows, removed; line feeds kept
 * (the caller lays out its lines with them), tabs made spaces. What is left of
 * an escape sequence ("[2J") stays visible, so an odd name reads as odd.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is being removed
  return text.replace(/\t/g, ' ').replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, '');
}
