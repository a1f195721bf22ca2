// Shapes of the services register API (/api/v1/compliance/services).

export const SERVICE_KINDS = [
  'site_builder',
  'chat',
  'telephony',
  'email',
  'sms',
  'analytics',
  'messenger',
  'cloud_storage',
  'accounting',
  'crm',
  'other',
] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

export const SERVICE_ROLES = ['processor', 'recipient', 'tool'] as const;
export type ServiceRole = (typeof SERVICE_ROLES)[number];

export type CrossBorderState = 'not_required' | 'missing' | 'waiting' | 'ready';

export type CrossBorderStatus = {
  isForeign: boolean;
  isAdequate: boolean;
  state: CrossBorderState;
  noticeDate: string | null;
  reference: string | null;
  allowedFrom: string | null;
};

export type Service = {
  id: string;
  catalogueCode: string | null;
  name: string;
  kind: ServiceKind;
  country: string;
  countryName: string;
  role: ServiceRole;
  dataCategories: string[];
  purposeCodes: string[];
  contractReference: string | null;
  notes: string | null;
  crossBorder: CrossBorderStatus;
  forms: { slug: string; isPrimary: boolean }[];
  warnings: string[];
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
};

export type CatalogueEntry = {
  code: string;
  name: string;
  kind: ServiceKind;
  country: string;
  role: ServiceRole;
  note: string;
  isForeign: boolean;
  isAdded: boolean;
};

export type ForeignRecipient = {
  type: 'service' | 'partner';
  id: string;
  name: string;
  country: string;
  countryName: string;
  crossBorder: CrossBorderStatus;
};

/** A flag emoji from an ISO 3166-1 alpha-2 code. */
export function countryFlag(country: string): string {
  if (!/^[A-Z]{2}$/.test(country)) {
    return '';
  }
  return String.fromCodePoint(...[...country].map((letter) => 0x1f1a5 + letter.charCodeAt(0)));
}
