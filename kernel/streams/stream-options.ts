import { CastError, toInt } from '../../config/cast';

/** Python-int reading of a stream option (the config check has already vetted it). */
export function intOption(options: Readonly<Record<string, string>>, key: string, fallback: number): number {
  const v = options[key];
  if (v === undefined) return fallback;
  try {
    return toInt(v);
  } catch (err) {
    if (err instanceof CastError) throw new RangeError(`${key}: ${err.message}`);
    throw err;
  }
}

/**
 * A boolean stream option. Circus reads `utc` with Python truthiness, so
 * `utc = False` meant UTC (quirk Q26); here it is parsed like every other
 * boolean of the config.
 */
export function boolOption(options: Readonly<Record<string, string>>, key: string, fallback: boolean): boolean {
  const v = options[key];
  if (v === undefined) return fallback;
  return ['1', 'yes', 'true', 'on'].includes(v.trim().toLowerCase());
}
