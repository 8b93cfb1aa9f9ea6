/** Slack's inline formatting (bold, italic, strike, code), modelled for tests of names that carry its marks. */

/**
 * Slack's inline formatting, as a model: a mark at a word's edge (after the start, a space or punctuation),
 * touching text, closed by the same mark before the end, a space or punctuation. What it finds Slack would format.
 */
export function formattedBySlack(text: string): string[] {
  const edge = String.raw`[\s.,:;!?()'"/-]`;
  const pairs = ['*', '_', '~', '`'].map((m) => {
    const mark = `\\${m}`;
    return new RegExp(`(?:^|(?<=${edge}))${mark}(?=\\S)[^${mark}\\n]*?(?<=\\S)${mark}(?=$|${edge})`, 'g');
  });
  return pairs.flatMap((pair) => text.match(pair) ?? []);
}

export const MARKED_NAMES = ['*bold*', '_it_', '~x~', 'a`b', '`tick`', 'x *y* z', '*_~both~_*'];
