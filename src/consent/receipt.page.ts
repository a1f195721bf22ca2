import { html, publicPage } from '../platform/http/html.ts';
import type { ConsentReceipt } from './receipt.service.ts';

const DATE_TIME = new Intl.DateTimeFormat('ru-RU', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Moscow',
});

/** The person's receipt: what they agreed to, with whom, the exact documents and how to withdraw. */
export function renderReceiptPage(input: {
  receipt: ConsentReceipt;
  jws: string;
  isSignatureValid: boolean;
  /** The person's way into the privacy portal (a signed, expiring link). */
  portalHref?: string;
}): string {
  const { receipt } = input;
  const controller = receipt.piiControllers[0];
  const purposes = receipt.services.flatMap((service) => service.purposes);
  return publicPage({
    title: 'Квитанция о согласии',
    body: html`<article class="card">
<h1>Квитанция о согласии</h1>
<p class="muted">№ ${receipt.consentReceiptID}, ${DATE_TIME.format(new Date(receipt.consentTimestamp * 1000))} (МСК), ${receipt.collectionMethod}</p>
<p>Оператор персональных данных: <strong>${controller?.piiController ?? ''}</strong>, ${controller?.address ?? ''}.
Ответственный за обработку персональных данных: ${controller?.contact ?? ''}, ${controller?.phone ?? ''}.</p>
<h2>Вы дали согласия</h2>
<ul>${purposes.map(
      (
        purpose,
      ) => html`<li><strong>${purpose.purpose}</strong>: ${purpose.piiCategory.join(', ')}; срок — ${purpose.termination}.
${purpose.thirdPartyName ? html`Получатели: ${purpose.thirdPartyName}. ` : ''}<a href="${purpose.documentUrl}" target="_blank" rel="noopener">Текст согласия</a>
<br><span class="muted">SHA-256 текста: <code>${purpose.documentSha256}</code></span></li>`,
    )}</ul>
${
  input.portalHref
    ? html`<h2>Мои данные</h2>
<p><a href="${input.portalHref}" rel="nofollow">Мои данные</a> — что оператор хранит о вас и зачем: скачать данные, отозвать согласие в один клик, попросить исправить или удалить данные.</p>`
    : ''
}
<h2>Как отозвать согласие</h2>
<p>Отзыв возможен в любой момент: ${input.portalHref ? 'в один клик в разделе «Мои данные» выше или ' : ''}напишите оператору по адресу ${controller?.address ?? ''} или ответственному за обработку персональных данных (${controller?.phone ?? ''}). Отзыв не влияет на законность обработки до его получения.</p>
<p class="muted"><a href="${receipt.policyUrl}" target="_blank" rel="noopener">Политика оператора в отношении обработки персональных данных</a></p>
<hr>
<p class="muted">Квитанция подписана ключом оператора (Ed25519): подпись ${input.isSignatureValid ? 'верна' : 'НЕ верна'}.</p>
<details><summary class="muted">Подписанная квитанция (JWS) и открытый ключ</summary>
<p><code>${input.jws}</code></p>
<p class="muted">Открытый ключ (SPKI, base64): <code>${receipt.publicKey}</code></p></details>
</article>`,
  });
}
