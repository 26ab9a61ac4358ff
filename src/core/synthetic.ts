/**
 * The words that mark synthetic demo data. The generator writes this marker into the preamble of every
 * synthetic workbook, and the pipeline flags any release with a file that carries it as synthetic, so
 * generated rows can never pass for ICE's own, even when ingested by hand.
 */
export const SYNTHETIC_MARKER = 'HANDOFF SYNTHETIC DEMO DATA';

/** The label every output shows next to figures that draw on synthetic data. */
export const SYNTHETIC_LABEL = 'synthetic demo data';

/** True when a preamble line carries the synthetic marker (case-insensitive). */
export function hasSyntheticMarker(lines: readonly string[]): boolean {
  return lines.some((line) => line.toUpperCase().includes(SYNTHETIC_MARKER));
}
