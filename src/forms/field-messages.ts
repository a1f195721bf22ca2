// Russian texts for the field messages a submission can be refused with. Shared by the hosted
// page (server) and the embed snippet (browser), so it imports nothing.

const EXACT: Record<string, string> = {
  Required: 'Заполните это поле',
  'Not a valid phone number': 'Проверьте номер телефона',
  'Not a valid email': 'Проверьте адрес электронной почты',
  'Unknown field': 'Форма не принимает это поле',
  'Consent required': 'Без этого согласия заявку отправить нельзя',
  'Unknown consent': 'Форма не запрашивает это согласие',
  'The document shown is required': 'Не указан текст согласия, который вы видели',
  'Not a consent document of this purpose': 'Текст согласия устарел: обновите страницу',
  'Leave at least a name, a phone or an email': 'Укажите имя, телефон или электронную почту',
};

/** The Russian text of one field message; an unknown one gets a general hint. */
export function fieldMessageRu(message: string): string {
  const exact = EXACT[message];
  if (exact) return exact;
  const length = /^At most (\d+) characters$/.exec(message);
  if (length) return `Не больше ${length[1]} символов`;
  return 'Проверьте это поле';
}

/** The Russian text of an error code, for the message above the form. */
export function errorCodeRu(code: string, retryAfterSeconds?: number): string {
  switch (code) {
    case 'submission_invalid':
    case 'validation_failed':
      return 'Проверьте поля, отмеченные ниже.';
    case 'consent_required':
      return 'Отметьте обязательное согласие: без него заявку отправить нельзя.';
    case 'rate_limited':
      return `Слишком много заявок подряд. Попробуйте ещё раз${retryAfterSeconds ? ` через ${retryAfterSeconds} с` : ' чуть позже'}.`;
    case 'spam_suspected':
      return 'Заявка похожа на автоматическую и не принята.';
    case 'payload_too_large':
      return 'Заявка слишком большая: сократите текст.';
    case 'not_found':
      return 'Форма больше не принимает заявки.';
    default:
      return 'Не удалось отправить заявку. Попробуйте ещё раз.';
  }
}
