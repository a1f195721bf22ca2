import { z } from 'zod';
import { ROLES } from '../platform/context.ts';

export const ZRole = z.enum(ROLES);
export const ZLocale = z.enum(['ru', 'en']);
export const ZEmail = z.string().trim().max(254).pipe(z.email());
// Long passphrases welcome; 10 characters at least (NIST SP 800-63B asks for 8).
export const ZNewPassword = z.string().min(10).max(200);
export const ZPersonName = z.string().trim().min(1).max(200);
export const ZOrgSlug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'Latin letters, digits and hyphens, 2–63 characters');
export const ZOrgName = z.string().trim().min(1).max(200);

export const ZLoginBody = z.strictObject({
  email: ZEmail,
  password: z.string().min(1).max(200),
});
export type TLoginBody = z.infer<typeof ZLoginBody>;

export const ZSetupBody = z.strictObject({
  orgName: ZOrgName,
  orgSlug: ZOrgSlug,
  name: ZPersonName,
  email: ZEmail,
  password: ZNewPassword,
});
export type TSetupBody = z.infer<typeof ZSetupBody>;

export const ZSwitchOrgBody = z.strictObject({ orgId: z.uuid() });

export const ZChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: ZNewPassword,
});

export const ZUpdateMeBody = z.strictObject({
  locale: ZLocale.optional(),
  name: ZPersonName.optional(),
});

export const ZMe = z.object({
  user: z.object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    locale: ZLocale,
    /** Whether sign-in asks for a code from an authenticator app. */
    twoFactor: z.boolean(),
  }),
  memberships: z.array(
    z.object({ orgId: z.string(), orgSlug: z.string(), orgName: z.string(), role: ZRole }),
  ),
  currentOrgId: z.string().nullable(),
  role: ZRole.nullable(),
  permissions: z.array(z.string()),
  csrfToken: z.string(),
});
export type TMe = z.infer<typeof ZMe>;

export const ZSetupState = z.object({ needsSetup: z.boolean() });

export const ZMember = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: ZRole,
  createdAt: z.string(),
});
export type TMember = z.infer<typeof ZMember>;

export const ZAddMemberBody = z.strictObject({
  email: ZEmail,
  name: ZPersonName,
  role: ZRole,
  password: ZNewPassword,
});
export type TAddMemberBody = z.infer<typeof ZAddMemberBody>;

export const ZChangeRoleBody = z.strictObject({ role: ZRole });
export const ZUserIdParams = z.strictObject({ userId: z.uuid() });

export const ZApiToken = z.object({
  id: z.string(),
  name: z.string(),
  role: ZRole,
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type TApiToken = z.infer<typeof ZApiToken>;
export const ZCreateTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: ZRole,
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});
export type TCreateTokenBody = z.infer<typeof ZCreateTokenBody>;
export const ZTokenIdParams = z.strictObject({ id: z.uuid() });

/** A sign-in that needs the second factor: answered with 202 instead of a session. */
export const ZLoginChallenge = z.object({
  twoFactor: z.literal('required'),
  challenge: z.string(),
  expiresAt: z.string(),
});

export const ZTwoFactorLoginBody = z.strictObject({
  challenge: z.string().min(20).max(200),
  code: z.string().trim().min(6).max(20),
});

export const ZTwoFactorStatus = z.object({
  enabled: z.boolean(),
  enabledAt: z.string().nullable(),
  recoveryCodesLeft: z.number().int(),
});

export const ZTwoFactorSetupBody = z.strictObject({ password: z.string().min(1).max(200) });
export const ZTwoFactorSetup = z.object({
  /** Base32, for typing into the app by hand. */
  secret: z.string(),
  otpauthUri: z.string(),
  /** The same address as a QR code (SVG). */
  qrSvg: z.string(),
});

export const ZTwoFactorCodeBody = z.strictObject({ code: z.string().trim().min(6).max(20) });
export const ZTwoFactorDisableBody = z.strictObject({
  password: z.string().min(1).max(200),
  code: z.string().trim().min(6).max(20),
});
export const ZRecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });
