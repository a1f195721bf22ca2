import type { Channel, LegalBasis, PurposeKind } from '../../app/api-types.ts';
import type { I18n } from '../../i18n/i18n-context.tsx';

export function kindLabel({ t }: Pick<I18n, 't'>, kind: string): string {
  switch (kind) {
    case 'processing':
    case 'advertising':
    case 'transfer':
    case 'distribution':
      return t(`purposeKind.${kind satisfies PurposeKind}`);
    default:
      return kind;
  }
}

export function legalBasisLabel({ t }: Pick<I18n, 't'>, basis: string): string {
  switch (basis) {
    case 'consent':
    case 'contract':
    case 'legal_obligation':
    case 'medical_care':
    case 'vital_interests':
    case 'legitimate_interests':
      return t(`legalBasis.${basis satisfies LegalBasis}`);
    default:
      return basis;
  }
}

export function channelLabel({ t }: Pick<I18n, 't'>, channel: string): string {
  switch (channel) {
    case 'call':
    case 'sms':
    case 'email':
    case 'messenger':
    case 'transfer':
      return t(`channel.${channel satisfies Channel}`);
    default:
      return channel;
  }
}

export const KIND_COLOR: Record<PurposeKind, string> = {
  processing: 'blue',
  advertising: 'grape',
  transfer: 'orange',
  distribution: 'cyan',
};

/** A country's name in the interface language: "Россия" for RU. */
export function countryName(locale: string, code: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** "365 дней (1 год)": a term in days, with years when it is a whole number of them. */
export function retentionLabel(locale: string, days: number): string {
  const intl = locale === 'en' ? 'en-GB' : 'ru-RU';
  const unit = (value: number, name: 'day' | 'year') =>
    new Intl.NumberFormat(intl, { style: 'unit', unit: name, unitDisplay: 'long' }).format(value);
  const inDays = unit(days, 'day');
  return days % 365 === 0 ? `${inDays} (${unit(days / 365, 'year')})` : inDays;
}
