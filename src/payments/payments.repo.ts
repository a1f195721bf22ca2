import { type Tx, toNumber } from '../platform/db/db.ts';
import { type SqlFragment, sql } from '../platform/db/sql.ts';

// Rows are scoped by row-level security to the transaction's organization.

export type PaymentRow = {
  id: string;
  contactId: string;
  appointmentId: string | null;
  leadId: string | null;
  serviceId: string | null;
  serviceName: string | null;
  kind: 'payment' | 'refund';
  amountKopecks: number;
  paidOn: string;
  method: 'cash' | 'card' | 'transfer' | 'other';
  source: 'manual' | 'import' | 'demo';
  externalId: string | null;
  isFirstVisit: boolean;
  createdAt: Date;
};

type Stored = {
  id: string;
  contact_id: string;
  appointment_id: string | null;
  lead_id: string | null;
  service_id: string | null;
  service_name: string | null;
  kind: PaymentRow['kind'];
  amount_kopecks: unknown;
  paid_on: string;
  method: PaymentRow['method'];
  source: PaymentRow['source'];
  external_id: string | null;
  is_first_visit: boolean;
  created_at: Date;
};

function toPayment(row: Stored): PaymentRow {
  return {
    id: row.id,
    contactId: row.contact_id,
    appointmentId: row.appointment_id,
    leadId: row.lead_id,
    serviceId: row.service_id,
    serviceName: row.service_name,
    kind: row.kind,
    amountKopecks: toNumber(row.amount_kopecks),
    paidOn: row.paid_on,
    method: row.method,
    source: row.source,
    externalId: row.external_id,
    isFirstVisit: row.is_first_visit,
    createdAt: row.created_at,
  };
}

export type NewPayment = {
  id: string;
  orgId: string;
  contactId: string;
  appointmentId: string | null;
  leadId: string | null;
  serviceId: string | null;
  serviceName: string | null;
  kind: 'payment' | 'refund';
  amountKopecks: number;
  paidOn: string;
  method: PaymentRow['method'];
  source: PaymentRow['source'];
  externalId: string | null;
  importId: string | null;
  createdBy: string | null;
  at: Date;
};

/**
 * Inserts a payment; one with an external id already recorded from the same source is left
 * alone (a re-import adds nothing twice). Returns whether it was written.
 */
export async function insertPayment(tx: Tx, payment: NewPayment): Promise<boolean> {
  const rows = await tx.query<{ id: string }>(sql`
    INSERT INTO payments (id, org_id, contact_id, appointment_id, lead_id, service_id, service_name,
      kind, amount_kopecks, paid_on, method, source, external_id, import_id, created_by, created_at)
    VALUES (${payment.id}, ${payment.orgId}, ${payment.contactId}, ${payment.appointmentId},
      ${payment.leadId}, ${payment.serviceId}, ${payment.serviceName}, ${payment.kind},
      ${payment.amountKopecks}, ${payment.paidOn}::date, ${payment.method}, ${payment.source},
      ${payment.externalId}, ${payment.importId}, ${payment.createdBy}, ${payment.at})
    ON CONFLICT (org_id, source, external_id) WHERE external_id IS NOT NULL DO NOTHING
    RETURNING id`);
  return rows.length > 0;
}

/** The first paid day of each person, for the first-visit flag. */
const FIRSTS = sql`firsts AS (
  SELECT contact_id, min(paid_on) AS first_on FROM payments WHERE kind = 'payment'
  GROUP BY contact_id)`;

const COLUMNS = sql`p.id, p.contact_id, p.appointment_id, p.lead_id, p.service_id,
  COALESCE(s.name, p.service_name) AS service_name, p.kind, p.amount_kopecks,
  p.paid_on::text AS paid_on, p.method, p.source, p.external_id, p.created_at,
  (p.kind = 'payment' AND p.paid_on = f.first_on) AS is_first_visit`;

export async function findPaymentPage(
  tx: Tx,
  filter: {
    contactId?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    visit?: 'first' | 'repeat' | undefined;
    limit: number;
    offset: number;
  },
): Promise<{ rows: PaymentRow[]; total: number }> {
  const conditions: SqlFragment[] = [sql`true`];
  if (filter.contactId) conditions.push(sql`p.contact_id = ${filter.contactId}`);
  if (filter.from) conditions.push(sql`p.paid_on >= ${filter.from}::date`);
  if (filter.to) conditions.push(sql`p.paid_on <= ${filter.to}::date`);
  if (filter.visit === 'first') {
    conditions.push(sql`p.kind = 'payment' AND p.paid_on = f.first_on`);
  }
  if (filter.visit === 'repeat') {
    conditions.push(sql`NOT (p.kind = 'payment' AND p.paid_on = f.first_on)`);
  }
  const where = sql.join(conditions, ' AND ');
  const rows = await tx.query<Stored & { total: unknown }>(sql`
    WITH ${FIRSTS}
    SELECT ${COLUMNS}, count(*) OVER () AS total
    FROM payments p
    LEFT JOIN firsts f ON f.contact_id = p.contact_id
    LEFT JOIN clinic_services s ON s.id = p.service_id
    WHERE ${where}
    ORDER BY p.paid_on DESC, p.created_at DESC, p.id
    LIMIT ${filter.limit} OFFSET ${filter.offset}`);
  return { rows: rows.map(toPayment), total: rows[0] ? toNumber(rows[0].total) : 0 };
}

export async function findPayment(tx: Tx, id: string): Promise<PaymentRow | null> {
  const rows = await tx.query<Stored>(sql`
    WITH ${FIRSTS}
    SELECT ${COLUMNS} FROM payments p
    LEFT JOIN firsts f ON f.contact_id = p.contact_id
    LEFT JOIN clinic_services s ON s.id = p.service_id
    WHERE p.id = ${id}`);
  return rows[0] ? toPayment(rows[0]) : null;
}

export type RevenueFigures = {
  totalKopecks: number;
  firstVisitKopecks: number;
  repeatKopecks: number;
  refundsKopecks: number;
  payments: number;
  newPatients: number;
  returningPatients: number;
};

/**
 * Revenue of a period split into first-visit revenue (paid on the person's first paid day ever,
 * whenever the rows were imported) and repeat revenue; per month and in total.
 */
export async function sumRevenue(
  tx: Tx,
  period: { from: string | null; to: string | null },
): Promise<{ total: RevenueFigures; months: (RevenueFigures & { month: string })[] }> {
  const conditions: SqlFragment[] = [sql`true`];
  if (period.from) conditions.push(sql`p.paid_on >= ${period.from}::date`);
  if (period.to) conditions.push(sql`p.paid_on <= ${period.to}::date`);
  const where = sql.join(conditions, ' AND ');
  const rows = await tx.query<{
    month: string | null;
    is_total: boolean;
    paid: unknown;
    first_visit: unknown;
    refunds: unknown;
    payments: unknown;
    new_patients: unknown;
    returning_patients: unknown;
  }>(sql`
    WITH period AS (SELECT p.* FROM payments p WHERE ${where}),
    firsts AS (
      SELECT contact_id, min(paid_on) AS first_on FROM payments
      WHERE kind = 'payment' AND contact_id IN (SELECT contact_id FROM period)
      GROUP BY contact_id)
    SELECT to_char(p.paid_on, 'YYYY-MM') AS month,
      GROUPING(to_char(p.paid_on, 'YYYY-MM')) = 1 AS is_total,
      COALESCE(sum(p.amount_kopecks) FILTER (WHERE p.kind = 'payment'), 0)::bigint AS paid,
      COALESCE(sum(p.amount_kopecks) FILTER (WHERE p.kind = 'payment' AND p.paid_on = f.first_on),
        0)::bigint AS first_visit,
      COALESCE(sum(p.amount_kopecks) FILTER (WHERE p.kind = 'refund'), 0)::bigint AS refunds,
      count(*) FILTER (WHERE p.kind = 'payment') AS payments,
      count(DISTINCT p.contact_id) FILTER (WHERE p.kind = 'payment' AND p.paid_on = f.first_on)
        AS new_patients,
      count(DISTINCT p.contact_id) FILTER (WHERE p.kind = 'payment' AND p.paid_on > f.first_on)
        AS returning_patients
    FROM period p LEFT JOIN firsts f ON f.contact_id = p.contact_id
    GROUP BY GROUPING SETS ((to_char(p.paid_on, 'YYYY-MM')), ())
    ORDER BY is_total, month`);
  const figures = (row: (typeof rows)[number]): RevenueFigures => {
    const paid = toNumber(row.paid);
    const firstVisit = toNumber(row.first_visit);
    const refunds = toNumber(row.refunds);
    return {
      totalKopecks: paid - refunds,
      firstVisitKopecks: firstVisit,
      repeatKopecks: paid - firstVisit,
      refundsKopecks: refunds,
      payments: toNumber(row.payments),
      newPatients: toNumber(row.new_patients),
      returningPatients: toNumber(row.returning_patients),
    };
  };
  const totalRow = rows.find((row) => row.is_total);
  const empty: RevenueFigures = {
    totalKopecks: 0,
    firstVisitKopecks: 0,
    repeatKopecks: 0,
    refundsKopecks: 0,
    payments: 0,
    newPatients: 0,
    returningPatients: 0,
  };
  return {
    total: totalRow ? figures(totalRow) : empty,
    months: rows
      .filter((row) => !row.is_total && row.month)
      .map((row) => ({ month: row.month ?? '', ...figures(row) })),
  };
}

/** A contact's payments, oldest first (the card's timeline). */
export async function findPaymentsOfContact(tx: Tx, contactId: string): Promise<PaymentRow[]> {
  const rows = await tx.query<Stored>(sql`
    WITH ${FIRSTS}
    SELECT ${COLUMNS} FROM payments p
    LEFT JOIN firsts f ON f.contact_id = p.contact_id
    LEFT JOIN clinic_services s ON s.id = p.service_id
    WHERE p.contact_id = ${contactId}
    ORDER BY p.paid_on, p.created_at, p.id`);
  return rows.map(toPayment);
}
