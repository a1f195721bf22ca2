export const ROLES = [
  'owner',
  'admin',
  'front_desk',
  'marketer',
  'privacy_officer',
  'auditor',
] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
