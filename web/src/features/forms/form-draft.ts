import type {
  FormBody,
  FormFieldType,
  FormStatus,
  FormView,
  Purpose,
} from '../../app/api-types.ts';
import type { I18n } from '../../i18n/i18n-context.tsx';
import { rowKey } from '../../ui/row-key.ts';
import { isHttpUrl } from '../operator-profile/profile-form.ts';
import { categoryCode } from '../purposes/purpose-draft.ts';
import { slugify } from '../setup/slug.ts';

export type FieldDraft = {
  key: number;
  name: string;
  label: string;
  type: FormFieldType;
  isRequired: boolean;
  /** A data category code; empty means the one the name implies (name, phone, email) or none. */
  category: string;
  maxLength: number;
  /** The name was typed by hand: it no longer follows the label. */
  isNameEdited: boolean;
};

/** One checkbox, one purpose: the editor has no way to put two purposes on a checkbox. */
export type ConsentDraft = { key: number; purpose: string | null; isRequired: boolean };

export type FormDraft = {
  slug: string;
  isSlugEdited: boolean;
  title: string;
  status: FormStatus;
  fields: FieldDraft[];
  consents: ConsentDraft[];
  submitLabel: string;
  thankYouTitle: string;
  thankYouText: string;
  redirectUrl: string;
};

export type FormErrors = Record<string, string | undefined>;

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

const FIELD_NAME_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

export const MAX_FIELDS = 30;

export const STATUS_COLOR: Record<FormStatus, string> = {
  draft: 'gray',
  published: 'teal',
  archived: 'orange',
};

export const MAX_CONSENTS = 10;

/** The categories the standard field names carry without saying (src/forms/forms.service.ts). */
export const IMPLIED_CATEGORY: Record<string, string> = {
  name: 'name',
  phone: 'phone',
  email: 'email',
};

export const FIELD_PRESETS = [
  { name: 'name', label: 'Имя', type: 'text', isRequired: true, maxLength: 200 },
  { name: 'phone', label: 'Телефон', type: 'tel', isRequired: true, maxLength: 50 },
  { name: 'email', label: 'Email', type: 'email', isRequired: false, maxLength: 200 },
  { name: 'comment', label: 'Комментарий', type: 'textarea', isRequired: false, maxLength: 2000 },
] as const;

export type FieldPreset = (typeof FIELD_PRESETS)[number]['name'];

export function fieldFromPreset(preset: (typeof FIELD_PRESETS)[number]): FieldDraft {
  return { key: rowKey(), ...preset, category: '', isNameEdited: true };
}

export function emptyField(): FieldDraft {
  return {
    key: rowKey(),
    name: '',
    label: '',
    type: 'text',
    isRequired: false,
    category: '',
    maxLength: 500,
    isNameEdited: false,
  };
}

/** A field name from its label: "Удобное время" → "udobnoe_vremia". */
export function fieldName(label: string): string {
  return categoryCode(label);
}

export function formSlug(title: string): string {
  return slugify(title);
}

/** A new form asks for name and phone, with a required processing consent if there is one. */
export function newFormDraft(purposes: Purpose[]): FormDraft {
  const processing = purposes.find(
    (purpose) => purpose.kind === 'processing' && purpose.document !== null,
  );
  return {
    slug: '',
    isSlugEdited: false,
    title: '',
    status: 'draft',
    fields: FIELD_PRESETS.slice(0, 2).map(fieldFromPreset),
    consents: [{ key: rowKey(), purpose: processing?.code ?? null, isRequired: true }],
    submitLabel: 'Отправить',
    thankYouTitle: 'Спасибо! Мы свяжемся с вами.',
    thankYouText: '',
    redirectUrl: '',
  };
}

export function draftOfForm(form: FormView): FormDraft {
  const { definition } = form;
  return {
    slug: form.slug,
    isSlugEdited: true,
    title: form.title,
    status: form.status,
    fields: definition.fields.map((field) => ({
      key: rowKey(),
      name: field.name,
      label: field.label,
      type: field.type,
      isRequired: field.isRequired,
      category: field.category ?? '',
      maxLength: field.maxLength,
      isNameEdited: true,
    })),
    consents: definition.consents.map((consent) => ({
      key: rowKey(),
      purpose: consent.purposes[0] ?? null,
      isRequired: consent.isRequired,
    })),
    submitLabel: definition.submitLabel,
    thankYouTitle: definition.thankYou.title,
    thankYouText: definition.thankYou.text,
    redirectUrl: definition.redirectUrl ?? '',
  };
}

export function bodyOfDraft(draft: FormDraft): FormBody {
  const redirectUrl = draft.redirectUrl.trim();
  return {
    slug: draft.slug.trim(),
    title: draft.title.trim(),
    status: draft.status,
    definition: {
      fields: draft.fields.map((field) => ({
        name: field.name.trim(),
        label: field.label.trim(),
        type: field.type,
        isRequired: field.isRequired,
        ...(field.category ? { category: field.category } : {}),
        maxLength: field.maxLength,
      })),
      consents: draft.consents.map((consent) => ({
        purposes: consent.purpose ? [consent.purpose] : [],
        isRequired: consent.isRequired,
      })),
      submitLabel: draft.submitLabel.trim(),
      thankYou: { title: draft.thankYouTitle.trim(), text: draft.thankYouText.trim() },
      ...(redirectUrl ? { redirectUrl } : {}),
    },
  };
}

/** The category a field carries: its own, or the one its standard name implies. */
export function categoryOf(field: { name: string; category: string }): string | null {
  return field.category || IMPLIED_CATEGORY[field.name.trim()] || null;
}

/** The server's limits and consent rules (src/forms), checked before sending. */
export function validateFormDraft(
  draft: FormDraft,
  purposes: Purpose[],
  { t }: Pick<I18n, 't'>,
): FormErrors {
  const errors: FormErrors = {};
  const required = t('validation.required');
  const slug = draft.slug.trim();
  errors.slug = !slug ? required : SLUG_PATTERN.test(slug) ? undefined : t('forms.slugInvalid');
  errors.title = draft.title.trim() ? undefined : required;
  if (draft.fields.length === 0) {
    errors['definition.fields'] = t('forms.needField');
  }
  const names = new Set<string>();
  draft.fields.forEach((field, index) => {
    const name = field.name.trim();
    if (!FIELD_NAME_PATTERN.test(name)) {
      errors[`definition.fields.${index}.name`] = t('forms.fieldNameInvalid');
    } else if (names.has(name)) {
      errors[`definition.fields.${index}.name`] = t('forms.fieldNameDuplicate');
    }
    names.add(name);
    if (!field.label.trim()) {
      errors[`definition.fields.${index}.label`] = required;
    }
  });
  if (draft.consents.length === 0) {
    errors['definition.consents'] = t('forms.needProcessingConsent');
  }
  const used = new Set<string>();
  draft.consents.forEach((consent, index) => {
    if (!consent.purpose) {
      errors[`definition.consents.${index}.purposes`] = t('forms.choosePurpose');
      return;
    }
    if (used.has(consent.purpose)) {
      errors[`definition.consents.${index}.purposes`] = t('forms.purposeTwice');
    }
    used.add(consent.purpose);
  });
  const hasRequiredProcessing = draft.consents.some(
    (consent) =>
      consent.isRequired &&
      purposes.some((purpose) => purpose.code === consent.purpose && purpose.kind === 'processing'),
  );
  if (draft.consents.length > 0 && !hasRequiredProcessing) {
    errors['definition.consents'] = t('forms.needProcessingConsent');
  }
  errors['definition.submitLabel'] = draft.submitLabel.trim() ? undefined : required;
  errors['definition.thankYou.title'] = draft.thankYouTitle.trim() ? undefined : required;
  const redirectUrl = draft.redirectUrl.trim();
  if (redirectUrl && !isHttpUrl(redirectUrl)) {
    errors['definition.redirectUrl'] = t('validation.url');
  }
  return errors;
}
