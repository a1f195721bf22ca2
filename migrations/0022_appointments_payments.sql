-- Appointments and revenue: branches, specialists, the clinic's services with duration and
-- price, weekly schedules and their exceptions, appointments with their status history and
-- reminders, and payments. Money is integer kopecks (RUB), never a float.

CREATE TABLE branches (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  address text NOT NULL DEFAULT '' CHECK (length(address) <= 500),
  -- An IANA zone; schedules are wall-clock times in it.
  time_zone text NOT NULL DEFAULT 'Europe/Moscow' CHECK (length(time_zone) BETWEEN 1 AND 64),
  is_archived boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  UNIQUE (org_id, id)
);

-- Doctors and other specialists: staff, named publicly on the booking page.
CREATE TABLE specialists (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  specialty text NOT NULL DEFAULT '' CHECK (length(specialty) <= 200),
  is_archived boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  UNIQUE (org_id, id)
);

-- What the clinic sells: a duration (a multiple of the 5-minute grid) and a price.
CREATE TABLE clinic_services (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 720
    AND duration_minutes % 5 = 0),
  price_kopecks bigint NOT NULL CHECK (price_kopecks >= 0),
  is_online_bookable boolean NOT NULL DEFAULT true,
  is_archived boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  UNIQUE (org_id, id)
);

-- Which specialist provides which service.
CREATE TABLE specialist_services (
  org_id uuid NOT NULL REFERENCES organizations (id),
  specialist_id uuid NOT NULL,
  service_id uuid NOT NULL,
  PRIMARY KEY (org_id, specialist_id, service_id),
  FOREIGN KEY (org_id, specialist_id) REFERENCES specialists (org_id, id),
  FOREIGN KEY (org_id, service_id) REFERENCES clinic_services (org_id, id)
);

-- A weekly working window of a specialist at a branch (ISO weekday 1 = Monday).
CREATE TABLE work_schedules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  specialist_id uuid NOT NULL,
  branch_id uuid NOT NULL,
  weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  starts_at time NOT NULL,
  ends_at time NOT NULL,
  CHECK (starts_at < ends_at),
  FOREIGN KEY (org_id, specialist_id) REFERENCES specialists (org_id, id),
  FOREIGN KEY (org_id, branch_id) REFERENCES branches (org_id, id)
);
CREATE INDEX work_schedules_specialist_idx ON work_schedules (org_id, specialist_id, weekday);

-- Days off, vacations, sick leave: the specialist does not work on these dates (whole days, or
-- only between the two times when they are given).
CREATE TABLE schedule_exceptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  specialist_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('day_off', 'vacation', 'sick_leave', 'other')),
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  starts_at time,
  ends_at time,
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 300),
  created_at timestamptz NOT NULL,
  CHECK (starts_on <= ends_on),
  CHECK ((starts_at IS NULL) = (ends_at IS NULL) AND (starts_at IS NULL OR starts_at < ends_at)),
  FOREIGN KEY (org_id, specialist_id) REFERENCES specialists (org_id, id)
);
CREATE INDEX schedule_exceptions_specialist_idx
  ON schedule_exceptions (org_id, specialist_id, starts_on, ends_on);

-- An appointment of a person with a specialist. The comment is free text about the person,
-- sealed under the subject's key.
CREATE TABLE appointments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  contact_id uuid NOT NULL REFERENCES contacts (id),
  lead_id uuid REFERENCES leads (id),
  specialist_id uuid NOT NULL,
  branch_id uuid NOT NULL,
  service_id uuid NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('booked', 'confirmed', 'came', 'no_show', 'cancelled')),
  price_kopecks bigint NOT NULL CHECK (price_kopecks >= 0),
  source text NOT NULL CHECK (source IN ('admin', 'online', 'import', 'demo')),
  submission_id uuid REFERENCES submissions (id),
  comment_enc bytea,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  status_at timestamptz NOT NULL,
  CHECK (starts_at < ends_at),
  FOREIGN KEY (org_id, specialist_id) REFERENCES specialists (org_id, id),
  FOREIGN KEY (org_id, branch_id) REFERENCES branches (org_id, id),
  FOREIGN KEY (org_id, service_id) REFERENCES clinic_services (org_id, id),
  UNIQUE (org_id, id)
);
CREATE INDEX appointments_org_starts_idx ON appointments (org_id, starts_at, id);
CREATE INDEX appointments_specialist_idx ON appointments (org_id, specialist_id, starts_at);
CREATE INDEX appointments_contact_idx ON appointments (org_id, contact_id, starts_at);

-- The slot key: one row per 5-minute cell an active appointment occupies. The primary key makes
-- two bookings of one specialist's overlapping time impossible, whatever the isolation level or
-- the number of servers: the second INSERT fails (23505) and is refused as `slot_taken`. A
-- cancellation deletes its cells and frees the time.
CREATE TABLE appointment_cells (
  org_id uuid NOT NULL REFERENCES organizations (id),
  specialist_id uuid NOT NULL,
  cell_at timestamptz NOT NULL,
  appointment_id uuid NOT NULL,
  PRIMARY KEY (org_id, specialist_id, cell_at),
  FOREIGN KEY (org_id, appointment_id) REFERENCES appointments (org_id, id)
);
CREATE INDEX appointment_cells_appointment_idx ON appointment_cells (org_id, appointment_id);

-- Status history: every change with its time and the member who made it.
CREATE TABLE appointment_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigint GENERATED ALWAYS AS IDENTITY,
  org_id uuid NOT NULL REFERENCES organizations (id),
  appointment_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('booked', 'confirmed', 'came', 'no_show', 'cancelled')),
  actor_user_id uuid REFERENCES users (id),
  actor_label text NOT NULL CHECK (length(actor_label) BETWEEN 1 AND 200),
  at timestamptz NOT NULL,
  FOREIGN KEY (org_id, appointment_id) REFERENCES appointments (org_id, id)
);
CREATE INDEX appointment_events_appointment_idx ON appointment_events (org_id, appointment_id, at);

-- A reminder of an appointment, once per channel: the send-log row names the basis.
CREATE TABLE appointment_reminders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  appointment_id uuid NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email', 'sms')),
  outbound_message_id uuid REFERENCES outbound_messages (id),
  status text NOT NULL CHECK (status IN ('sent', 'refused', 'failed')),
  reason text,
  created_at timestamptz NOT NULL,
  UNIQUE (org_id, appointment_id, channel),
  FOREIGN KEY (org_id, appointment_id) REFERENCES appointments (org_id, id)
);

-- Per organization: the purpose reminders are sent under (a contract or medical-care purpose,
-- never an advertising one), how long before, and the form whose fields and consent boxes the
-- public booking page shows.
CREATE TABLE appointment_settings (
  org_id uuid PRIMARY KEY REFERENCES organizations (id),
  reminder_purpose_code text,
  reminder_hours_before integer NOT NULL DEFAULT 24 CHECK (reminder_hours_before BETWEEN 1 AND 168),
  reminder_channels text[] NOT NULL DEFAULT ARRAY['sms', 'email']::text[],
  booking_form_id uuid REFERENCES forms (id),
  booking_days_ahead integer NOT NULL DEFAULT 30 CHECK (booking_days_ahead BETWEEN 1 AND 365),
  updated_at timestamptz NOT NULL
);

-- Payments (and refunds) against a contact, optionally a visit, a lead and a service. Imported
-- rows carry the source system's id, unique per organization and source, so a re-import adds
-- nothing twice.
CREATE TABLE payments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id),
  contact_id uuid NOT NULL REFERENCES contacts (id),
  appointment_id uuid,
  lead_id uuid REFERENCES leads (id),
  service_id uuid,
  service_name text CHECK (length(service_name) <= 300),
  kind text NOT NULL DEFAULT 'payment' CHECK (kind IN ('payment', 'refund')),
  amount_kopecks bigint NOT NULL CHECK (amount_kopecks > 0),
  paid_on date NOT NULL,
  method text NOT NULL DEFAULT 'other' CHECK (method IN ('cash', 'card', 'transfer', 'other')),
  source text NOT NULL CHECK (source IN ('manual', 'import', 'demo')),
  external_id text CHECK (length(external_id) BETWEEN 1 AND 200),
  import_id uuid,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  FOREIGN KEY (org_id, appointment_id) REFERENCES appointments (org_id, id),
  FOREIGN KEY (org_id, service_id) REFERENCES clinic_services (org_id, id)
);
CREATE INDEX payments_org_paid_idx ON payments (org_id, paid_on DESC, id);
CREATE INDEX payments_contact_idx ON payments (org_id, contact_id, paid_on);
CREATE UNIQUE INDEX payments_external_idx ON payments (org_id, source, external_id)
  WHERE external_id IS NOT NULL;

-- The send log says whether a message was advertising or a service message about the person's
-- own contract (an appointment reminder); the two rest on different bases.
ALTER TABLE outbound_messages ADD COLUMN message_kind text NOT NULL DEFAULT 'marketing'
  CHECK (message_kind IN ('marketing', 'service'));

ALTER TABLE branches ENABLE ROW LEVEL SECURITY;
ALTER TABLE specialists ENABLE ROW LEVEL SECURITY;
ALTER TABLE clinic_services ENABLE ROW LEVEL SECURITY;
ALTER TABLE specialist_services ENABLE ROW LEVEL SECURITY;
ALTER TABLE work_schedules ENABLE ROW LEVEL SECURITY;
ALTER TABLE schedule_exceptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE appointments ENABLE ROW LEVEL SECURITY;
ALTER TABLE appointment_cells ENABLE ROW LEVEL SECURITY;
ALTER TABLE appointment_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE appointment_reminders ENABLE ROW LEVEL SECURITY;
ALTER TABLE appointment_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE payments ENABLE ROW LEVEL SECURITY;

CREATE POLICY branches_scope ON branches
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
CREATE POLICY specialists_scope ON specialists
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
CREATE POLICY clinic_services_scope ON clinic_services
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
CREATE POLICY specialist_services_scope ON specialist_services
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
CREATE POLICY work_schedules_scope ON work_schedules
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
CREATE POLICY schedule_exceptions_scope ON schedule_exceptions
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
CREATE POLICY appointments_scope ON appointments
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
CREATE POLICY appointment_cells_scope ON appointment_cells
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
CREATE POLICY appointment_events_scope ON appointment_events
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
CREATE POLICY appointment_reminders_scope ON appointment_reminders
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
CREATE POLICY appointment_settings_scope ON appointment_settings
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
CREATE POLICY payments_scope ON payments
  USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());

GRANT SELECT, INSERT, UPDATE ON branches, specialists, clinic_services, appointments,
  appointment_settings TO soglasie_app;
GRANT SELECT, INSERT, DELETE ON specialist_services, work_schedules, schedule_exceptions,
  appointment_cells TO soglasie_app;
GRANT SELECT, INSERT ON appointment_events, appointment_reminders, payments TO soglasie_app;
-- Erasure empties an appointment's comment; a payment is never changed.

-- The public booking page finds its organization by slug (public_org_id, migration 0002).

-- The reminder job finds the organizations with an active appointment starting in a window;
-- this narrow definer function answers that and nothing else.
CREATE FUNCTION appointment_reminder_orgs(p_from timestamptz, p_to timestamptz)
  RETURNS TABLE (org_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT DISTINCT org_id FROM appointments
        WHERE status IN ('booked', 'confirmed') AND starts_at >= p_from AND starts_at < p_to $$;
REVOKE ALL ON FUNCTION appointment_reminder_orgs(timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appointment_reminder_orgs(timestamptz, timestamptz) TO soglasie_app;
