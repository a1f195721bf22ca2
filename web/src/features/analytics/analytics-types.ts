export type Metrics = {
  spendKopecks: number;
  siteVisits: number;
  leads: number;
  calls: number;
  costPerLeadKopecks: number | null;
  bookings: number;
  clinicVisits: number;
  newPatients: number;
  cacKopecks: number | null;
  payments: number;
  revenueKopecks: number;
  romiPercent: number | null;
  conversion: { visitToLead: number | null };
};
export type ReportRow = Metrics & {
  channel: string;
  source: string;
  campaign: string;
  keyword: string;
};
export type ChannelReport = {
  period: { from: string; to: string };
  rows: ReportRow[];
  totals: Metrics;
  unattributableSpendKopecks: number;
  funnel: { step: string; count: number; rate: number | null }[];
  comparison: {
    period: { from: string; to: string };
    totals: Metrics;
    change: Record<string, number | null>;
  } | null;
};
export type Trend = { points: (Metrics & { bucket: string })[] };
export type AttributionReport = {
  channels: string[];
  totals: { conversions: number; valueKopecks: number };
  conversions: Record<string, Record<string, number>>;
  valueKopecks: Record<string, Record<string, number>>;
  directorsCheck: {
    channels: {
      channel: string;
      spendKopecks: number;
      newClients: number;
      modelledCacKopecks: number | null;
      directorsCacKopecks: number | null;
    }[];
    unattributableSpendKopecks: number;
    unattributablePerClientKopecks: number | null;
    allNewClients: number;
    blended: { spendKopecks: number; newClients: number; cacKopecks: number | null };
  };
};
export type Filters = {
  from: string;
  to: string;
  channel: string | null;
};

export const MODELS = [
  'first',
  'last',
  'last_non_direct',
  'linear',
  'time_decay',
  'position_based',
  'markov',
  'shapley',
] as const;

/** Roubles from kopecks, as a Russian reader writes them. */
export function formatRub(locale: string, kopecks: number | null | undefined): string {
  if (kopecks === null || kopecks === undefined) return '—';
  return new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'ru-RU', {
    style: 'currency',
    currency: 'RUB',
    maximumFractionDigits: Math.abs(kopecks) >= 1_000_000 ? 0 : 2,
  }).format(kopecks / 100);
}

export function daysBefore(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

export function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(new Date());
}

export function exportHref(query: Record<string, string | number | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== '') params.set(key, String(value));
  }
  return `/api/v1/analytics/reports/export?${params.toString()}`;
}
