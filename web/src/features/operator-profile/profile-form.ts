import type { OperatorProfile, OperatorProfileBody } from '../../app/api-types.ts';
import type { I18n } from '../../i18n/i18n-context.tsx';
import { rowKey } from '../../ui/row-key.ts';

/** The profile as typed: every field a string, optional ones empty when not given. */
export type ProfileDraft = {
  legalName: string;
  address: string;
  inn: string;
  ogrn: string;
  responsibleName: string;
  responsibleContacts: string;
  processors: { key: number; name: string; address: string }[];
  rknRegisterNumber: string;
  policyUrl: string;
};

/** Errors by the server's field path, e.g. `legalName` or `processors.0.address`. */
export type ProfileErrors = Record<string, string | undefined>;

export const MAX_PROCESSORS = 10;

export function emptyDraft(): ProfileDraft {
  return {
    legalName: '',
    address: '',
    inn: '',
    ogrn: '',
    responsibleName: '',
    responsibleContacts: '',
    processors: [],
    rknRegisterNumber: '',
    policyUrl: '',
  };
}

export function draftOf(profile: OperatorProfile | null): ProfileDraft {
  if (!profile) {
    return emptyDraft();
  }
  return {
    legalName: profile.legalName,
    address: profile.address,
    inn: profile.inn ?? '',
    ogrn: profile.ogrn ?? '',
    responsibleName: profile.responsibleName,
    responsibleContacts: profile.responsibleContacts,
    processors: profile.processors.map((processor) => ({ key: rowKey(), ...processor })),
    rknRegisterNumber: profile.rknRegisterNumber ?? '',
    policyUrl: profile.policyUrl ?? '',
  };
}

function optional(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function bodyOf(draft: ProfileDraft): OperatorProfileBody {
  return {
    legalName: draft.legalName.trim(),
    address: draft.address.trim(),
    inn: optional(draft.inn),
    ogrn: optional(draft.ogrn),
    responsibleName: draft.responsibleName.trim(),
    responsibleContacts: draft.responsibleContacts.trim(),
    processors: draft.processors.map((processor) => ({
      name: processor.name.trim(),
      address: processor.address.trim(),
    })),
    rknRegisterNumber: optional(draft.rknRegisterNumber),
    policyUrl: optional(draft.policyUrl),
  };
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** The server's own limits (src/purposes/purposes.schema.ts), checked before sending. */
export function validateDraft(draft: ProfileDraft, { t }: Pick<I18n, 't'>): ProfileErrors {
  const errors: ProfileErrors = {};
  const minLength = (field: keyof ProfileDraft, value: string, min: number) => {
    const trimmed = value.trim();
    if (trimmed === '') {
      errors[field] = t('validation.required');
    } else if (trimmed.length < min) {
      errors[field] = t('validation.minLength', { min });
    }
  };
  minLength('legalName', draft.legalName, 2);
  minLength('address', draft.address, 5);
  minLength('responsibleName', draft.responsibleName, 2);
  minLength('responsibleContacts', draft.responsibleContacts, 3);
  const inn = draft.inn.trim();
  if (inn !== '' && !/^(\d{10}|\d{12})$/.test(inn)) {
    errors.inn = t('profile.innInvalid');
  }
  const ogrn = draft.ogrn.trim();
  if (ogrn !== '' && !/^(\d{13}|\d{15})$/.test(ogrn)) {
    errors.ogrn = t('profile.ogrnInvalid');
  }
  const policyUrl = draft.policyUrl.trim();
  if (policyUrl !== '' && !isHttpUrl(policyUrl)) {
    errors.policyUrl = t('validation.url');
  }
  draft.processors.forEach((processor, index) => {
    if (processor.name.trim() === '') {
      errors[`processors.${index}.name`] = t('validation.required');
    }
    if (processor.address.trim() === '') {
      errors[`processors.${index}.address`] = t('validation.required');
    }
  });
  return errors;
}
