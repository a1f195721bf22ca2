import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type SeedConversion,
  type SeedSpend,
  seedAnalytics,
} from '../../../test/analytics-factories.ts';
import { setupTestApp } from '../../../test/app.ts';
import { type CaptureOrg, makeCaptureOrg } from '../../../test/capture-factories.ts';
import { makeMember } from '../../../test/factories.ts';
import { type Client, signIn } from '../../../test/http.ts';
import { makeSubject } from '../../../test/request-factories.ts';
import type { TAttributionReport, TChannelReport, TTrend } from './reports.schema.ts';

const getApp = setupTestApp();

const FROM = '2026-03-05';
const TO = '2026-03-20';
const PEOPLE = [
  { name: 'Анна Смирнова', phone: '+79161234501', email: 'anna.smirnova@mail.test' },
  { name: 'Борис Кузнецов', phone: '+79161234502', email: 'boris.k@mail.test' },
  { name: 'Вера Петрова', phone: '+79161234503', email: 'vera.petrova@mail.test' },
  { name: 'Глеб Соколов', phone: '+79161234504', email: 'gleb.sokolov@mail.test' },
  { name: 'Дарья Волкова', phone: '+79161234505', email: 'daria.volkova@mail.test' },
];

let org: CaptureOrg;
let owner: Client;
let marketer: Client;
let seeded: Awaited<ReturnType<typeof seedAnalytics>>;
let contactIds: string[];

beforeAll(async () => {
  const testApp = getApp();
  org = await makeCaptureOrg(testApp);
  contactIds = [];
  for (const person of PEOPLE) contactIds.push(await makeSubject(testApp, org, person));
  seeded = await seedAnalytics(testApp, org.orgId, { seed: 7, visitors: 160, contactIds });
  owner = await signIn(testApp, org.owner.email, org.owner.password);
  const member = await makeMember(testApp, org.orgId, 'marketer');
  marketer = await signIn(testApp, member.email, member.password);
});

// The independent recomputation: straight from the generated rows, by hand.
function moscowDay(at: Date): string {
  return new Date(at.getTime() + 3 * 3_600_000).toISOString().slice(0, 10);
}
function inPeriod(at: Date): boolean {
  const day = moscowDay(at);
  return day >= FROM && day <= TO;
}
function creditedChannel(conversion: SeedConversion): string {
  for (let index = conversion.path.length - 1; index >= 0; index -= 1) {
    const channel = conversion.path[index]?.channel;
    if (channel && channel !== 'direct') return channel;
  }
  return 'direct';
}
function spendInPeriod(entry: SeedSpend): number {
  let sum = 0;
  const days: string[] = [];
  for (let t = Date.parse(entry.start); t <= Date.parse(entry.end); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  const base = Math.floor(entry.amountKopecks / days.length);
  const remainder = entry.amountKopecks - base * days.length;
  days.forEach((day, index) => {
    if (day >= FROM && day <= TO) sum += base + (index < remainder ? 1 : 0);
  });
  return sum;
}

type Expected = {
  spend: number;
  siteVisits: number;
  leads: number;
  bookings: number;
  clinicVisits: number;
  newPatients: number;
  payments: number;
  revenue: number;
};

function expectedByChannel(): Map<string, Expected> {
  const table = new Map<string, Expected>();
  const row = (channel: string) => {
    let found = table.get(channel);
    if (!found) {
      found = {
        spend: 0,
        siteVisits: 0,
        leads: 0,
        bookings: 0,
        clinicVisits: 0,
        newPatients: 0,
        payments: 0,
        revenue: 0,
      };
      table.set(channel, found);
    }
    return found;
  };
  for (const session of seeded.sessions)
    if (inPeriod(session.at)) row(session.channel).siteVisits += 1;
  for (const conversion of seeded.conversions) {
    if (!inPeriod(conversion.at)) continue;
    const target = row(creditedChannel(conversion));
    if (conversion.kind === 'lead') target.leads += 1;
    if (conversion.kind === 'booking') target.bookings += 1;
    if (conversion.kind === 'visit') {
      target.clinicVisits += 1;
      if (conversion.isFirstOfKind) target.newPatients += 1;
    }
    if (conversion.kind === 'payment') {
      target.payments += 1;
      target.revenue += conversion.valueKopecks ?? 0;
    }
  }
  for (const entry of seeded.spend) {
    const amount = spendInPeriod(entry);
    if (amount > 0) row(entry.channel).spend += amount;
  }
  return table;
}

describe('reports equal an independent recomputation (issue 7, acceptance)', () => {
  it('gives every channel’s spend, visits, funnel counts, revenue, CAC and ROMI', async () => {
    const answer = await marketer.get<TChannelReport>(
      `/api/v1/analytics/reports/channels?from=${FROM}&to=${TO}`,
    );
    expect(answer.status).toBe(200);
    const expected = expectedByChannel();
    expect(answer.body.rows.map((row) => row.channel).sort()).toEqual([...expected.keys()].sort());
    for (const row of answer.body.rows) {
      const want = expected.get(row.channel);
      expect(want, row.channel).toBeDefined();
      if (!want) continue;
      expect(
        [
          row.spendKopecks,
          row.siteVisits,
          row.leads,
          row.bookings,
          row.clinicVisits,
          row.newPatients,
          row.payments,
          row.revenueKopecks,
        ],
        row.channel,
      ).toEqual([
        want.spend,
        want.siteVisits,
        want.leads,
        want.bookings,
        want.clinicVisits,
        want.newPatients,
        want.payments,
        want.revenue,
      ]);
      expect(row.cacKopecks).toBe(
        want.newPatients > 0 ? Math.round(want.spend / want.newPatients) : null,
      );
      expect(row.costPerLeadKopecks).toBe(
        want.leads > 0 ? Math.round(want.spend / want.leads) : null,
      );
      if (want.spend > 0) {
        expect(row.romiPercent).toBeCloseTo(((want.revenue - want.spend) / want.spend) * 100, 0);
      }
    }
    const all = [...expected.values()];
    const sum = (pick: (item: Expected) => number) =>
      all.reduce((total, item) => total + pick(item), 0);
    expect(answer.body.totals.spendKopecks).toBe(sum((item) => item.spend));
    expect(answer.body.funnel.map((step) => step.count)).toEqual([
      sum((item) => item.siteVisits),
      sum((item) => item.leads),
      sum((item) => item.bookings),
      sum((item) => item.clinicVisits),
      sum((item) => item.payments),
    ]);
    // The outdoor entry (15 February – 16 March) counts only its days inside the period.
    expect(answer.body.unattributableSpendKopecks).toBe(expected.get('outdoor')?.spend);
    expect(answer.body.comparison?.period).toEqual({ from: '2026-02-17', to: '2026-03-04' });
  });

  it('splits by campaign and by Moscow day', async () => {
    const byCampaign = await marketer.get<TChannelReport>(
      `/api/v1/analytics/reports/channels?from=${FROM}&to=${TO}&dimension=campaign&channel=yandex_direct`,
    );
    const implants = byCampaign.body.rows.find((row) => row.campaign === 'implants');
    const visits = seeded.sessions.filter(
      (session) => inPeriod(session.at) && session.campaign === 'implants',
    ).length;
    expect(implants?.siteVisits).toBe(visits);
    const trend = await marketer.get<TTrend>(
      `/api/v1/analytics/reports/trend?from=${FROM}&to=${TO}&bucket=day`,
    );
    for (const point of trend.body.points) {
      const want = seeded.sessions.filter(
        (session) => moscowDay(session.at) === point.bucket,
      ).length;
      expect(point.siteVisits, point.bucket).toBe(want);
    }
    const weeks = await marketer.get<TTrend>(
      `/api/v1/analytics/reports/trend?from=${FROM}&to=${TO}&bucket=week`,
    );
    expect(weeks.body.points.reduce((sum, point) => sum + point.siteVisits, 0)).toBe(
      seeded.sessions.filter((session) => inPeriod(session.at)).length,
    );
  });

  it('credits new patients by first and last touch as counted by hand, every model adds up', async () => {
    const answer = await marketer.get<TAttributionReport>(
      `/api/v1/analytics/reports/attribution?from=${FROM}&to=${TO}&goal=new_patient`,
    );
    expect(answer.status).toBe(200);
    const patients = seeded.conversions.filter(
      (conversion) =>
        conversion.kind === 'visit' && conversion.isFirstOfKind && inPeriod(conversion.at),
    );
    const first: Record<string, number> = {};
    const last: Record<string, number> = {};
    for (const patient of patients) {
      const firstChannel = patient.path[0]?.channel ?? 'direct';
      const lastChannel = patient.path.at(-1)?.channel ?? 'direct';
      first[firstChannel] = (first[firstChannel] ?? 0) + 1;
      last[lastChannel] = (last[lastChannel] ?? 0) + 1;
    }
    for (const channel of answer.body.channels) {
      expect(answer.body.conversions.first?.[channel], channel).toBe(first[channel] ?? 0);
      expect(answer.body.conversions.last?.[channel], channel).toBe(last[channel] ?? 0);
    }
    for (const [model, credits] of Object.entries(answer.body.conversions)) {
      const total = Object.values(credits).reduce((sum, credit) => sum + credit, 0);
      expect(total, model).toBeCloseTo(patients.length, 6);
    }
    const check = answer.body.directorsCheck;
    expect(check.allNewClients).toBe(patients.length);
    expect(check.unattributableSpendKopecks).toBe(expectedByChannel().get('outdoor')?.spend);
    const yandex = check.channels.find((row) => row.channel === 'yandex_direct');
    if (yandex?.modelledCacKopecks != null && check.unattributablePerClientKopecks != null) {
      expect(yandex.directorsCacKopecks).toBe(
        yandex.modelledCacKopecks + check.unattributablePerClientKopecks,
      );
    }
  });
});

describe('the marketer never sees a name, phone or email (issue 7, item 9; R-L6)', () => {
  const forbidden = () => [
    ...PEOPLE.flatMap((person) => [
      person.name,
      ...person.name.split(' '),
      person.phone,
      person.phone.slice(2),
      person.email,
    ]),
    ...contactIds,
  ];

  async function rawText(client: Client, path: string): Promise<string> {
    const testApp = getApp();
    const response = await testApp.app.request(path, {
      headers: {
        cookie: [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      },
    });
    expect(response.status, path).toBe(200);
    if ((response.headers.get('content-type') ?? '').includes('spreadsheetml')) {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await response.arrayBuffer());
      const cells: string[] = [];
      workbook.eachSheet((sheet) =>
        sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value)))),
      );
      expect(cells.length).toBeGreaterThan(0);
      return cells.join('\n');
    }
    return response.text();
  }

  it('scans every report, drill-down and export answer for the seeded people', async () => {
    const period = `from=${FROM}&to=${TO}`;
    const paths = [
      `/api/v1/analytics/reports/channels?${period}`,
      `/api/v1/analytics/reports/channels?${period}&dimension=keyword`,
      `/api/v1/analytics/reports/trend?${period}&bucket=week`,
      `/api/v1/analytics/reports/attribution?${period}&goal=payment`,
      `/api/v1/analytics/reports/conversions?from=2026-03-01&to=2026-04-10&pageSize=200`,
      ...['channels', 'trend', 'funnel', 'attribution'].flatMap((table) => [
        `/api/v1/analytics/reports/export?${period}&table=${table}&format=csv`,
        `/api/v1/analytics/reports/export?${period}&table=${table}&format=xlsx`,
      ]),
    ];
    for (const path of paths) {
      const text = await rawText(marketer, path);
      for (const value of forbidden())
        expect(text.includes(value), `${path} has ${value}`).toBe(false);
    }
  });

  it('shows the marketer a pseudonym for a lead and the owner the contact too', async () => {
    const query =
      '/api/v1/analytics/reports/conversions?from=2026-03-01&to=2026-04-10&pageSize=200';
    type Page = { items: { lead: { pseudonym: string; contactId: string | null } | null }[] };
    const seen = await marketer.get<Page>(query);
    const leads = seen.body.items.flatMap((item) => (item.lead ? [item.lead] : []));
    expect(leads.length).toBeGreaterThan(0);
    expect(
      leads.every((lead) => lead.contactId === null && /^L-[0-9a-f]{12}$/.test(lead.pseudonym)),
    ).toBe(true);
    const ownerView = await owner.get<Page>(query);
    const ownerLeads = ownerView.body.items.flatMap((item) => (item.lead ? [item.lead] : []));
    expect(
      ownerLeads.every((lead) => lead.contactId !== null && contactIds.includes(lead.contactId)),
    ).toBe(true);
    // The same person has the same pseudonym in both views.
    expect(new Set(ownerLeads.map((lead) => lead.pseudonym))).toEqual(
      new Set(leads.map((lead) => lead.pseudonym)),
    );
  });

  it('refuses the front desk and answers a bad period with a field message', async () => {
    const testApp = getApp();
    const desk = await makeMember(testApp, org.orgId, 'front_desk');
    const client = await signIn(testApp, desk.email, desk.password);
    expect((await client.get('/api/v1/analytics/reports/channels')).status).toBe(403);
    const bad = await marketer.get<{ error: { fields: Record<string, string[]> } }>(
      '/api/v1/analytics/reports/channels?from=2026-03-10&to=2026-03-01&dimension=city',
    );
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toEqual(expect.arrayContaining(['dimension']));
  });
});

describe('re-classification of history when the rules change (issue 7, item 3)', () => {
  it('moves stored sessions and conversion paths to the new channel', async () => {
    const before = await marketer.get<TChannelReport>(
      `/api/v1/analytics/reports/channels?from=2026-03-01&to=2026-04-10`,
    );
    const tagged = before.body.rows.find((row) => row.channel === 'other_tagged');
    expect(tagged?.siteVisits).toBeGreaterThan(0);
    const saved = await marketer.call<{
      reclassified: { touchpoints: number; changed: number; conversions: number };
    }>('PUT', '/api/v1/analytics/channel-rules', {
      body: {
        rules: [
          {
            id: 'dentalportal',
            when: [{ field: 'utm_source', equals: 'dentalportal' }],
            result: { channel: 'aggregators', source: 'dentalportal' },
          },
        ],
      },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.reclassified.touchpoints).toBe(seeded.sessions.length);
    const moved = seeded.sessions.filter((session) => session.utmSource === 'dentalportal');
    expect(saved.body.reclassified.changed).toBeGreaterThanOrEqual(moved.length);
    const after = await marketer.get<TChannelReport>(
      `/api/v1/analytics/reports/channels?from=2026-03-01&to=2026-04-10`,
    );
    expect(after.body.rows.find((row) => row.channel === 'other_tagged')).toBeUndefined();
    const aggregators = after.body.rows.find((row) => row.channel === 'aggregators');
    expect(aggregators?.siteVisits).toBe(tagged?.siteVisits);
    expect(aggregators?.leads).toBe(tagged?.leads);
    const attribution = await marketer.get<TAttributionReport>(
      `/api/v1/analytics/reports/attribution?from=2026-03-01&to=2026-04-10&goal=lead`,
    );
    expect(attribution.body.channels).toContain('aggregators');
    expect(attribution.body.channels).not.toContain('other_tagged');
  });
});
