import {
  Alert,
  Button,
  Group,
  Loader,
  Modal,
  NumberInput,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { api, withQuery } from '../../app/api-client.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import {
  channelLabel,
  methodLabel,
  NOTICE_CHANNELS,
  type NoticeChannel,
  type RequestDetail,
  VERIFICATION_METHODS,
} from './request-types.ts';

type ShellProps = {
  opened: boolean;
  title: string;
  isBusy: boolean;
  error: unknown;
  submitLabel: string;
  submitColor?: string;
  onClose: () => void;
  onSubmit: () => Promise<void>;
  children: ReactNode;
  size?: string;
};

/** A dialog with one form: cancel and submit, the server's refusal above them. */
export function ModalShell(props: ShellProps) {
  const { t } = useI18n();
  return (
    <Modal
      opened={props.opened}
      onClose={() => !props.isBusy && props.onClose()}
      title={<Text fw={600}>{props.title}</Text>}
      size={props.size ?? 'lg'}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          void props.onSubmit();
        }}
      >
        <Stack gap="md">
          {props.children}
          {props.error !== null && <ErrorAlert error={props.error} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={props.onClose} disabled={props.isBusy}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={props.isBusy} color={props.submitColor}>
              {props.submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Runs one action: busy state, the server's error, close and refresh on success. */
function useAction(onDone: () => void) {
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (work: () => Promise<unknown>) => {
    setIsBusy(true);
    setError(null);
    try {
      await work();
      onDone();
    } catch (caught) {
      setError(caught);
    } finally {
      setIsBusy(false);
    }
  };
  return { isBusy, error, run, reset: () => setError(null) };
}

type ActionProps = {
  opened: boolean;
  request: RequestDetail;
  onClose: () => void;
  onDone: () => void;
};

const base = (request: RequestDetail) => `/api/v1/subject-requests/${request.id}`;

/** How a letter reaches the subject: mailed from the queue, or sent otherwise and referenced. */
function DeliveryFields({
  channel,
  reference,
  onChannel,
  onReference,
  labelKey,
  excludeEmail,
}: {
  channel: NoticeChannel;
  reference: string;
  onChannel: (value: NoticeChannel) => void;
  onReference: (value: string) => void;
  labelKey: 'requests.noticeChannel' | 'requests.deliveryChannel';
  excludeEmail?: boolean;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <>
      <Select
        label={t(labelKey)}
        data={NOTICE_CHANNELS.filter((value) => !(excludeEmail && value === 'email')).map(
          (value) => ({ value, label: channelLabel(i18n, value) }),
        )}
        value={channel}
        onChange={(value) => value && onChannel(value as NoticeChannel)}
        allowDeselect={false}
      />
      {channel === 'email' ? (
        <Text size="sm" c="dimmed">
          {t('requests.noticeEmailHint')}
        </Text>
      ) : (
        <TextInput
          label={t('requests.deliveryReference')}
          value={reference}
          onChange={(event) => onReference(event.currentTarget.value)}
          required
          maxLength={500}
        />
      )}
    </>
  );
}

function deliveryBody(channel: NoticeChannel, reference: string) {
  return channel === 'email' ? { channel } : { channel, reference: reference.trim() };
}

export function VerifyModal({ opened, request, onClose, onDone }: ActionProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const action = useAction(onDone);
  const [method, setMethod] = useState('document');
  const [documentNumber, setDocumentNumber] = useState('');
  const [documentIssuer, setDocumentIssuer] = useState('');
  const [documentIssuedOn, setDocumentIssuedOn] = useState('');
  const [relationship, setRelationship] = useState('');
  const [note, setNote] = useState('');
  const optional = (value: string) => (value.trim() ? value.trim() : undefined);
  return (
    <ModalShell
      opened={opened}
      title={t('requests.verifyTitle')}
      isBusy={action.isBusy}
      error={action.error}
      submitLabel={t('requests.verifySubmit')}
      onClose={onClose}
      onSubmit={() =>
        action.run(() =>
          api.post(`${base(request)}/verify`, {
            method,
            documentNumber: optional(documentNumber),
            documentIssuer: optional(documentIssuer),
            documentIssuedOn: optional(documentIssuedOn),
            relationship: optional(relationship),
            note: optional(note),
          }),
        )
      }
    >
      <Select
        label={t('requests.fieldMethod')}
        data={VERIFICATION_METHODS.map((value) => ({ value, label: methodLabel(i18n, value) }))}
        value={method}
        onChange={(value) => value && setMethod(value)}
        allowDeselect={false}
      />
      {method === 'document' && (
        <>
          <TextInput
            label={t('requests.fieldDocumentNumber')}
            value={documentNumber}
            onChange={(event) => setDocumentNumber(event.currentTarget.value)}
            required
            maxLength={100}
          />
          <TextInput
            label={t('requests.fieldDocumentIssuer')}
            value={documentIssuer}
            onChange={(event) => setDocumentIssuer(event.currentTarget.value)}
            maxLength={300}
          />
          <TextInput
            type="date"
            label={t('requests.fieldDocumentIssuedOn')}
            value={documentIssuedOn}
            onChange={(event) => setDocumentIssuedOn(event.currentTarget.value)}
          />
        </>
      )}
      <TextInput
        label={t('requests.fieldRelationship')}
        description={t('requests.relationshipHint')}
        value={relationship}
        onChange={(event) => setRelationship(event.currentTarget.value)}
        maxLength={500}
      />
      <Textarea
        label={t('requests.note')}
        value={note}
        onChange={(event) => setNote(event.currentTarget.value)}
        maxLength={2000}
        autosize
        minRows={2}
      />
    </ModalShell>
  );
}

export function ExtendModal({ opened, request, onClose, onDone }: ActionProps) {
  const { t } = useI18n();
  const action = useAction(onDone);
  const [days, setDays] = useState<number | string>(5);
  const [reason, setReason] = useState('');
  const [channel, setChannel] = useState<NoticeChannel>('email');
  const [reference, setReference] = useState('');
  return (
    <ModalShell
      opened={opened}
      title={t('requests.extendTitle')}
      isBusy={action.isBusy}
      error={action.error}
      submitLabel={t('requests.extendSubmit')}
      submitColor="orange"
      onClose={onClose}
      onSubmit={() =>
        action.run(() =>
          api.post(`${base(request)}/extend`, {
            byWorkingDays: Number(days),
            reason,
            notice: deliveryBody(channel, reference),
          }),
        )
      }
    >
      <Text size="sm" c="dimmed">
        {t('requests.extendHint')}
      </Text>
      <NumberInput
        label={t('requests.extendDays')}
        value={days}
        onChange={setDays}
        min={1}
        max={5}
        clampBehavior="strict"
        allowDecimal={false}
        required
      />
      <Textarea
        label={t('requests.extendReason')}
        value={reason}
        onChange={(event) => setReason(event.currentTarget.value)}
        required
        maxLength={2000}
        autosize
        minRows={3}
        data-autofocus
      />
      <DeliveryFields
        channel={channel}
        reference={reference}
        onChannel={setChannel}
        onReference={setReference}
        labelKey="requests.noticeChannel"
      />
    </ModalShell>
  );
}

/** The generated answer, editable, then sent: completing the request acts on the data. */
export function AnswerModal({ opened, request, onClose, onDone }: ActionProps) {
  const { t } = useI18n();
  const action = useAction(onDone);
  const [text, setText] = useState('');
  const [isDrafting, setIsDrafting] = useState(false);
  const [draftError, setDraftError] = useState<unknown>(null);
  const isDeletion = request.type === 'deletion';
  const [channel, setChannel] = useState<NoticeChannel>(isDeletion ? 'paper' : 'email');
  const [reference, setReference] = useState('');
  const [correctionNote, setCorrectionNote] = useState('');
  useEffect(() => {
    if (!opened) return;
    setIsDrafting(true);
    setDraftError(null);
    api
      .get<{ text: string }>(withQuery(`${base(request)}/draft`, { kind: 'answer' }))
      .then((draft) => setText(draft.text))
      .catch(setDraftError)
      .finally(() => setIsDrafting(false));
  }, [opened, request]);
  return (
    <ModalShell
      opened={opened}
      size="xl"
      title={t('requests.answerTitle')}
      isBusy={action.isBusy}
      error={action.error}
      submitLabel={t('requests.answerSubmit')}
      submitColor={isDeletion ? 'red' : undefined}
      onClose={onClose}
      onSubmit={() =>
        action.run(() =>
          api.post(`${base(request)}/answer`, {
            text,
            delivery: deliveryBody(channel, reference),
            ...(correctionNote.trim() ? { correctionNote: correctionNote.trim() } : {}),
          }),
        )
      }
    >
      {isDeletion && (
        <Alert color="red" icon={<IconAlertTriangle size={18} />}>
          {t('requests.deletionWarning')}
        </Alert>
      )}
      <Text size="sm" c="dimmed">
        {t('requests.answerHint')}
      </Text>
      {draftError !== null && <ErrorAlert error={draftError} />}
      {isDrafting ? (
        <Group justify="center" py="lg">
          <Loader size="sm" />
        </Group>
      ) : (
        <Textarea
          label={t('requests.answerText')}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          required
          autosize
          minRows={12}
          maxRows={24}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
        />
      )}
      {request.type === 'correction' && (
        <TextInput
          label={t('requests.correctionNote')}
          value={correctionNote}
          onChange={(event) => setCorrectionNote(event.currentTarget.value)}
          maxLength={2000}
        />
      )}
      <DeliveryFields
        channel={channel}
        reference={reference}
        onChannel={setChannel}
        onReference={setReference}
        labelKey="requests.deliveryChannel"
        excludeEmail={isDeletion}
      />
    </ModalShell>
  );
}

export function RefuseModal({ opened, request, onClose, onDone }: ActionProps) {
  const { t } = useI18n();
  const action = useAction(onDone);
  const [motivation, setMotivation] = useState('');
  const [channel, setChannel] = useState<NoticeChannel>('email');
  const [reference, setReference] = useState('');
  return (
    <ModalShell
      opened={opened}
      title={t('requests.refuseTitle')}
      isBusy={action.isBusy}
      error={action.error}
      submitLabel={t('requests.refuseSubmit')}
      submitColor="red"
      onClose={onClose}
      onSubmit={() =>
        action.run(() =>
          api.post(`${base(request)}/refuse`, {
            motivation,
            delivery: deliveryBody(channel, reference),
          }),
        )
      }
    >
      <Textarea
        label={t('requests.refuseMotivation')}
        description={t('requests.refuseHint')}
        value={motivation}
        onChange={(event) => setMotivation(event.currentTarget.value)}
        required
        maxLength={5000}
        autosize
        minRows={4}
        data-autofocus
      />
      <DeliveryFields
        channel={channel}
        reference={reference}
        onChannel={setChannel}
        onReference={setReference}
        labelKey="requests.deliveryChannel"
      />
    </ModalShell>
  );
}

export function NoteModal({
  opened,
  request,
  onClose,
  onDone,
  kind,
}: ActionProps & { kind: 'close' | 'incomplete' }) {
  const { t } = useI18n();
  const action = useAction(onDone);
  const [note, setNote] = useState('');
  const path = kind === 'close' ? 'close' : 'answer-incomplete';
  return (
    <ModalShell
      opened={opened}
      size="md"
      title={kind === 'close' ? t('requests.closeTitle') : t('requests.incompleteTitle')}
      isBusy={action.isBusy}
      error={action.error}
      submitLabel={kind === 'close' ? t('requests.closeSubmit') : t('requests.incompleteSubmit')}
      onClose={onClose}
      onSubmit={() =>
        action.run(() =>
          api.post(`${base(request)}/${path}`, note.trim() ? { note: note.trim() } : {}),
        )
      }
    >
      {kind === 'incomplete' && (
        <Text size="sm" c="dimmed">
          {t('requests.incompleteHint')}
        </Text>
      )}
      <Textarea
        label={t('requests.note')}
        value={note}
        onChange={(event) => setNote(event.currentTarget.value)}
        maxLength={2000}
        autosize
        minRows={3}
        data-autofocus
      />
    </ModalShell>
  );
}
