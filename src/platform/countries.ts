const REGION_NAMES = new Intl.DisplayNames(['ru'], { type: 'region', fallback: 'code' });

/** A country's Russian name from its ISO 3166-1 alpha-2 code («BY» → «Беларусь»). */
export function countryNameRu(code: string): string {
  try {
    return REGION_NAMES.of(code) ?? code;
  } catch {
    return code;
  }
}
