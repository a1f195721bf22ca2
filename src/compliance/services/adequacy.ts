// Countries that ensure adequate protection of data subjects' rights (152-FZ Art. 12 p.1):
// the parties to the Council of Europe Convention 108 on the protection of individuals with
// regard to automatic processing of personal data, which Roskomnadzor Order No. 128 treats as
// adequate. Order No. 128 also lists some states that are not parties; they are not in this
// list, so a transfer to them waits the full 10 working days like any other non-adequate
// country: the safe side. Review against the current text of the Order when it changes.
//
// ISO 3166-1 alpha-2 codes. Russia is left out: a transfer inside Russia is not cross-border.
export const CONVENTION_108_PARTIES: readonly string[] = [
  // Council of Europe member states.
  'AL', // Albania
  'AD', // Andorra
  'AM', // Armenia
  'AT', // Austria
  'AZ', // Azerbaijan
  'BE', // Belgium
  'BA', // Bosnia and Herzegovina
  'BG', // Bulgaria
  'HR', // Croatia
  'CY', // Cyprus
  'CZ', // Czechia
  'DK', // Denmark
  'EE', // Estonia
  'FI', // Finland
  'FR', // France
  'GE', // Georgia
  'DE', // Germany
  'GR', // Greece
  'HU', // Hungary
  'IS', // Iceland
  'IE', // Ireland
  'IT', // Italy
  'LV', // Latvia
  'LI', // Liechtenstein
  'LT', // Lithuania
  'LU', // Luxembourg
  'MT', // Malta
  'MD', // Moldova
  'MC', // Monaco
  'ME', // Montenegro
  'NL', // Netherlands
  'MK', // North Macedonia
  'NO', // Norway
  'PL', // Poland
  'PT', // Portugal
  'RO', // Romania
  'SM', // San Marino
  'RS', // Serbia
  'SK', // Slovakia
  'SI', // Slovenia
  'ES', // Spain
  'SE', // Sweden
  'CH', // Switzerland
  'TR', // Türkiye
  'UA', // Ukraine
  'GB', // United Kingdom
  // Parties outside the Council of Europe.
  'AR', // Argentina
  'CV', // Cabo Verde
  'MU', // Mauritius
  'MX', // Mexico
  'MA', // Morocco
  'SN', // Senegal
  'TN', // Tunisia
  'UY', // Uruguay
];

const ADEQUATE = new Set(CONVENTION_108_PARTIES);

export function isAdequateCountry(country: string): boolean {
  return ADEQUATE.has(country);
}
