import type { Db } from './platform/db/db.ts';
import { sql } from './platform/db/sql.ts';
import { withTx } from './platform/db/tx.ts';
import type { Metrics } from './platform/metrics.ts';

/** Backlogs an operator alerts on, summed over every organization (counts only). */
type Backlog = {
  mail_pending: number;
  mail_failed: number;
  campaign_queue: number;
  requests_open: number;
  requests_overdue: number;
  incidents_open: number;
  tasks_overdue: number;
};

const GAUGES: Array<{ key: keyof Backlog; name: string; help: string }> = [
  {
    key: 'mail_pending',
    name: 'soglasie_mail_outbox_pending',
    help: 'Queued mail not sent yet',
  },
  {
    key: 'mail_failed',
    name: 'soglasie_mail_outbox_failed',
    help: 'Queued mail that failed for good',
  },
  {
    key: 'campaign_queue',
    name: 'soglasie_campaign_queue',
    help: 'Campaign messages waiting to be sent',
  },
  {
    key: 'requests_open',
    name: 'soglasie_subject_requests_open',
    help: 'Data-subject requests not answered yet',
  },
  {
    key: 'requests_overdue',
    name: 'soglasie_subject_requests_overdue',
    help: 'Data-subject requests past their legal deadline',
  },
  {
    key: 'incidents_open',
    name: 'soglasie_incidents_open',
    help: 'Personal-data incidents not closed',
  },
  {
    key: 'tasks_overdue',
    name: 'soglasie_tasks_overdue',
    help: 'Open staff tasks past their due date',
  },
];

/** A scrape reads the database at most this often; Prometheus scrapes every 15–60 s. */
const CACHE_MS = 10_000;
const registered = new WeakSet<Metrics>();

/** Registers the backlog gauges on `metrics` once; each organization is read under its own RLS scope. */
export function addDomainGauges(metrics: Metrics, db: Db): void {
  if (registered.has(metrics)) return;
  registered.add(metrics);
  let cached: { at: number; value: Promise<Backlog> } | null = null;
  const snapshot = (): Promise<Backlog> => {
    if (!cached || performance.now() - cached.at > CACHE_MS) {
      const value = readBacklog(db);
      cached = { at: performance.now(), value };
      value.catch(() => {
        cached = null;
      });
    }
    return cached.value;
  };
  for (const gauge of GAUGES) {
    metrics.addGauge({
      name: gauge.name,
      help: gauge.help,
      read: async () => [{ value: (await snapshot())[gauge.key] }],
    });
  }
}

async function readBacklog(db: Db): Promise<Backlog> {
  const total: Backlog = {
    mail_pending: 0,
    mail_failed: 0,
    campaign_queue: 0,
    requests_open: 0,
    requests_overdue: 0,
    incidents_open: 0,
    tasks_overdue: 0,
  };
  const orgIds = await withTx(db, { orgId: null }, (tx) =>
    tx.query<{ id: string }>(sql`SELECT retention_org_ids() AS id`),
  );
  for (const { id } of orgIds) {
    const [row] = await withTx(db, { orgId: id }, (tx) =>
      tx.query<Record<keyof Backlog, number | string>>(sql`
        SELECT
          (SELECT count(*) FROM mail_outbox WHERE status = 'pending') AS mail_pending,
          (SELECT count(*) FROM mail_outbox WHERE status = 'failed') AS mail_failed,
          (SELECT count(*) FROM campaign_recipients WHERE status IN ('pending', 'sending'))
            AS campaign_queue,
          (SELECT count(*) FROM subject_requests
            WHERE status NOT IN ('answered', 'refused', 'closed')) AS requests_open,
          (SELECT count(*) FROM subject_requests
            WHERE status NOT IN ('answered', 'refused', 'closed')
              AND coalesce(extended_due_date, due_date) < current_date) AS requests_overdue,
          (SELECT count(*) FROM incidents WHERE status <> 'closed') AS incidents_open,
          (SELECT count(*) FROM tasks WHERE status = 'open' AND due_date < current_date)
            AS tasks_overdue`),
    );
    if (!row) continue;
    for (const key of Object.keys(total) as Array<keyof Backlog>) total[key] += Number(row[key]);
  }
  return total;
}
