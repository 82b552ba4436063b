/**
 * Time zones a person may choose for the times shown to them: the IANA zones this runtime's Intl
 * knows (`Intl.supportedValuesOf`), plus UTC, which Intl accepts but does not list.
 */
let zones: ReadonlySet<string> | undefined;

export function supportedTimeZones(): readonly string[] {
  return [...supportedSet()];
}

function supportedSet(): ReadonlySet<string> {
  zones ??= new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]);
  return zones;
}

export const isSupportedTimeZone = (value: string): boolean => supportedSet().has(value);
