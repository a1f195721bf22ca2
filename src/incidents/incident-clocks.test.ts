import { describe, expect, it } from 'vitest';
import { clocksOf, dueTimesOf, nextClockOf } from './incident-clocks.ts';
import { moscowTime, renderNotice24h, renderReport72h } from './incident-notice.ts';
import type { IncidentRow } from './incidents.repo.ts';

const DETECTED = new Date('2026-03-02T08:30:00Z');

function row(overrides: Partial<IncidentRow> = {}): IncidentRow {
  const kind = overrides.kind ?? 'leak';
  const none = { at: null, evidence: null };
  return {
    id: 'incident',
    number: 7,
    title: 'Выгрузка ушла не туда',
    kind,
    detectedAt: DETECTED,
    sealed: {
      description: null,
      causes: null,
      harm: null,
      measures: null,
      contactPerson: null,
      investigation: null,
      responsiblePersons: null,
      resolution: null,
    },
    affectedSubjectsCount: null,
    affectedCategories: [],
    gdprApplies: false,
    ...dueTimesOf(kind, DETECTED),
    steps: {
      notice24h: none,
      report72h: none,
      gdprNotice: none,
      processingStopped: none,
      dataDestroyed: none,
    },
    status: 'open',
    closedAt: null,
    createdAt: DETECTED,
    updatedAt: DETECTED,
    ...overrides,
  };
}

const at = (iso: string) => new Date(iso);

describe('incident clocks', () => {
  it('counts the 24 h and 72 h clocks in elapsed hours from detection (R-D7)', () => {
    const due = dueTimesOf('leak', DETECTED);
    expect(due.due24hAt.toISOString()).toBe('2026-03-03T08:30:00.000Z');
    expect(due.due72hAt.toISOString()).toBe('2026-03-05T08:30:00.000Z');
    expect(due.dueStopAt).toBeNull();
    expect(due.dueDestroyAt).toBeNull();
  });

  it('starts the working-day clocks from the Moscow date of detection (R-D2)', () => {
    // 22:30 UTC on Friday 27 February is already Saturday 28 February in Moscow: the three
    // working days are 2, 3 and 4 March all the same, and ten end on 16 March (9 March is off).
    const due = dueTimesOf('unlawful_processing', at('2026-02-27T22:30:00Z'));
    expect(due.dueStopAt?.toISOString()).toBe('2026-03-04T21:00:00.000Z');
    expect(due.dueDestroyAt?.toISOString()).toBe('2026-03-16T21:00:00.000Z');
  });

  it('is pending before its due time, overdue at it, and done once recorded', () => {
    const open = row();
    expect(clocksOf(open, at('2026-03-03T08:29:59Z'))[0]?.state).toBe('pending');
    expect(clocksOf(open, at('2026-03-03T08:30:00Z'))[0]?.state).toBe('overdue');
    const inTime = row({
      steps: { ...open.steps, notice24h: { at: at('2026-03-03T08:30:00Z'), evidence: 'вх. 1' } },
    });
    expect(clocksOf(inTime, at('2026-03-04T00:00:00Z'))[0]?.state).toBe('done');
    const late = row({
      steps: { ...open.steps, notice24h: { at: at('2026-03-03T08:30:01Z'), evidence: 'вх. 1' } },
    });
    expect(clocksOf(late, at('2026-03-04T00:00:00Z'))[0]?.state).toBe('done_late');
    const closed = row({ status: 'closed', closedAt: at('2026-03-02T10:00:00Z') });
    expect(clocksOf(closed, at('2026-03-10T00:00:00Z')).map((clock) => clock.state)).toEqual([
      'missed',
      'missed',
    ]);
  });

  it('adds the GDPR notice and the R-D2 clocks only where they apply', () => {
    expect(clocksOf(row(), DETECTED).map((clock) => clock.step)).toEqual([
      'notice24h',
      'report72h',
    ]);
    expect(clocksOf(row({ gdprApplies: true }), DETECTED).map((clock) => clock.step)).toEqual([
      'notice24h',
      'report72h',
      'gdprNotice',
    ]);
    const unlawful = clocksOf(row({ kind: 'unlawful_processing' }), DETECTED);
    expect(unlawful.map((clock) => clock.step)).toEqual([
      'notice24h',
      'report72h',
      'processingStopped',
      'dataDestroyed',
    ]);
    expect(unlawful[2]?.dueDate).toBe('2026-03-05');
    expect(unlawful[0]?.dueDate).toBeNull();
  });

  it('names the nearest clock still running as next', () => {
    const clocks = clocksOf(row({ kind: 'unlawful_processing' }), DETECTED);
    expect(nextClockOf(clocks)?.step).toBe('notice24h');
    const notified = row({
      steps: {
        ...row().steps,
        notice24h: { at: DETECTED, evidence: 'x' },
        report72h: { at: DETECTED, evidence: 'x' },
      },
    });
    expect(nextClockOf(clocksOf(notified, DETECTED))).toBeNull();
  });
});

describe('notice texts', () => {
  const incident = {
    number: 7,
    title: 'Выгрузка ушла не туда',
    kind: 'leak' as const,
    detectedAt: DETECTED,
    description: 'Таблица заявок отправлена постороннему',
    causes: null,
    harm: 'Раскрыты телефоны',
    measures: null,
    contactPerson: null,
    investigation: null,
    responsiblePersons: null,
    affectedSubjectsCount: 3,
    affectedCategories: ['имя'],
    notice24h: { at: null, evidence: null },
  };

  it('shows times in Moscow time', () => {
    expect(moscowTime(DETECTED)).toBe('02.03.2026, 11:30 (МСК)');
  });

  it('marks what is missing and asks for the operator profile when there is none', () => {
    const text = renderNotice24h(incident, null, DETECTED);
    expect(text).toContain('заполните профиль оператора');
    expect(text).toContain('3. Предполагаемые причины');
    expect(text.split('[не заполнено — дополните перед отправкой]').length - 1).toBe(4);
    expect(text).toContain('Количество субъектов, чьи права нарушены: 3');
  });

  it('reports the first notice and the persons responsible in the 72 h report', () => {
    const text = renderReport72h(
      { ...incident, notice24h: { at: DETECTED, evidence: 'вх. № 5' }, responsiblePersons: null },
      null,
      DETECTED,
    );
    expect(text).toContain('Первичное уведомление направлено: 02.03.2026, 11:30 (МСК), вх. № 5');
    expect(text).toContain(
      'Лица, действия которых стали причиной инцидента (при наличии)\nне установлены',
    );
  });
});
