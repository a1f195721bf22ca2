import { ROLES } from '../app/roles.ts';
import type { I18n } from '../i18n/i18n-context.tsx';

/**
 * Roles the current user may hand out: only an owner can make another owner (the server
 * refuses it otherwise, so the choice is not offered).
 */
export function roleOptions(
  i18n: I18n,
  grantorRole: string | null,
): { value: string; label: string }[] {
  return ROLES.filter((role) => role !== 'owner' || grantorRole === 'owner').map((role) => ({
    value: role,
    label: i18n.roleName(role),
  }));
}
