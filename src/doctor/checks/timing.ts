/** Milliseconds since a performance.now() reading, rounded: enough for "answered in 23 ms". */
export function elapsedSince(started: number): number {
  return Math.round(performance.now() - started);
}
