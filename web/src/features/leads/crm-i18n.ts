// The CRM screens' texts (pipeline board, contact timeline), Russian (default) and English.

import { useCallback } from 'react';
import { useI18n } from '../../i18n/i18n-context.tsx';

const RU = {
  'pipeline.title': 'Воронка лидов',
  'pipeline.description':
    'Заявки по этапам: новая, связались, записан, пришёл, оплатил, потерян. Этап меняется списком в карточке — мышью или с клавиатуры.',
  'pipeline.listView': 'Списком',
  'pipeline.boardView': 'Канбан',
  'pipeline.emptyColumn': 'Пусто',
  'pipeline.more': 'Ещё {count} — открыть списком',
  'pipeline.moveTo': 'Этап лида {name}',
  'pipeline.lostTitle': 'Почему лид потерян?',
  'pipeline.lostReason': 'Причина',
  'pipeline.markLost': 'Отметить потерянным',
  'pipeline.lost.no_answer': 'Не дозвонились',
  'pipeline.lost.price': 'Дорого',
  'pipeline.lost.chose_other': 'Выбрал другую клинику',
  'pipeline.lost.not_relevant': 'Не наш профиль',
  'pipeline.lost.duplicate': 'Дубль',
  'pipeline.lost.spam': 'Спам',
  'pipeline.lost.other': 'Другое',
  'timeline.title': 'История',
  'timeline.empty': 'Событий пока нет',
  'timeline.more': 'Показать раньше',
  'timeline.noteLabel': 'Заметка',
  'timeline.addNote': 'Добавить заметку',
  'timeline.submission': 'Заявка с формы «{form}»',
  'timeline.consent': 'Согласие: {event} — {purpose}',
  'timeline.lead': 'Новый лид, источник {source}',
  'timeline.leadStage': 'Этап: {from} → {to}',
  'timeline.message': 'Сообщение ({channel}): {status}',
  'timeline.task': 'Задача: {title}',
  'timeline.kind.submission': 'Заявка',
  'timeline.kind.consent': 'Согласие',
  'timeline.kind.lead': 'Лид',
  'timeline.kind.lead_stage': 'Этап',
  'timeline.kind.message': 'Сообщение',
  'timeline.kind.note': 'Заметка',
  'timeline.kind.task': 'Задача',
};

export type CrmKey = keyof typeof RU;

const EN: Record<CrmKey, string> = {
  'pipeline.title': 'Lead pipeline',
  'pipeline.description':
    'Leads by stage: new, contacted, booked, visited, paid, lost. Change a stage with the list on the card — by mouse or keyboard.',
  'pipeline.listView': 'As a list',
  'pipeline.boardView': 'Kanban',
  'pipeline.emptyColumn': 'Empty',
  'pipeline.more': '{count} more — open as a list',
  'pipeline.moveTo': 'Stage of the lead {name}',
  'pipeline.lostTitle': 'Why was the lead lost?',
  'pipeline.lostReason': 'Reason',
  'pipeline.markLost': 'Mark as lost',
  'pipeline.lost.no_answer': 'No answer',
  'pipeline.lost.price': 'Too expensive',
  'pipeline.lost.chose_other': 'Chose another clinic',
  'pipeline.lost.not_relevant': 'Not our field',
  'pipeline.lost.duplicate': 'Duplicate',
  'pipeline.lost.spam': 'Spam',
  'pipeline.lost.other': 'Other',
  'timeline.title': 'History',
  'timeline.empty': 'Nothing here yet',
  'timeline.more': 'Show earlier',
  'timeline.noteLabel': 'Note',
  'timeline.addNote': 'Add a note',
  'timeline.submission': 'Request from the form “{form}”',
  'timeline.consent': 'Consent: {event} — {purpose}',
  'timeline.lead': 'New lead from {source}',
  'timeline.leadStage': 'Stage: {from} → {to}',
  'timeline.message': 'Message ({channel}): {status}',
  'timeline.task': 'Task: {title}',
  'timeline.kind.submission': 'Request',
  'timeline.kind.consent': 'Consent',
  'timeline.kind.lead': 'Lead',
  'timeline.kind.lead_stage': 'Stage',
  'timeline.kind.message': 'Message',
  'timeline.kind.note': 'Note',
  'timeline.kind.task': 'Task',
};

/** `t` for the CRM texts, with `{name}` parameters; the rest of useI18n as is. */
export function useCrmI18n() {
  const i18n = useI18n();
  const { locale } = i18n;
  const t = useCallback(
    (key: CrmKey, params: Record<string, string | number> = {}): string => {
      const text: string = (locale === 'en' ? EN : RU)[key];
      return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
        params[name] === undefined ? whole : String(params[name]),
      );
    },
    [locale],
  );
  return { ...i18n, t };
}
