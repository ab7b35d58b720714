import { z } from 'zod';
import { requiredText, optionalText } from '../http/form-fields.js';
import { findPersonalIdentityNumbers } from '../privacy/personnummer.js';
import { findPasswordProblem, type PasswordContext } from './password-policy.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.js';
import type { MessageKey } from '../i18n/messages.js';
import { ROLES } from './roles.js';

export const LoginFormSchema = z.object({
  email: z.string({ error: 'validation.required' }).trim().min(1, { error: 'validation.required' }).max(254),
  password: z.string({ error: 'validation.required' }).min(1, { error: 'validation.required' }).max(PASSWORD_MAX_LENGTH),
  next: z.string().max(2000).optional(),
});

/**
 * An address stored with an account reaches users.email and the append-only audit log, so it is held to the same
 * rule as free text: no personal identity number (811218-9876@example.org).
 */
function refusePersonalIdentityNumber(value: string, ctx: z.RefinementCtx): void {
  const numbers = findPersonalIdentityNumbers(value);
  if (numbers.length > 0) {
    ctx.addIssue({ code: 'custom', message: 'validation.personalIdentityNumber', params: { numbers: numbers.join(', ') } });
  }
}

const emailField = z
  .string({ error: 'validation.required' })
  .trim()
  .min(1, { error: 'validation.required' })
  .max(254)
  .superRefine(refusePersonalIdentityNumber)
  .pipe(z.email({ error: 'validation.invalidEmail' }))
  .transform((email) => email.toLowerCase());

/** Refuses common passwords (NIST SP 800-63B block-list); a too-short one only gets the length message. */
function refuseCommonPassword(password: string, ctx: z.RefinementCtx): void {
  if (password.length >= PASSWORD_MIN_LENGTH && findPasswordProblem(password) === 'tooCommon') {
    ctx.addIssue({ code: 'custom', message: 'auth.passwordTooCommon' });
  }
}

/** Refuses a password containing the account's own name or email (context-specific words, NIST SP 800-63B). */
function refusePasswordWithContext(password: string, context: PasswordContext, ctx: z.RefinementCtx): void {
  if (password !== '' && findPasswordProblem(password, context) === 'contextual') {
    ctx.addIssue({ code: 'custom', path: ['password'], message: 'auth.passwordContextual' });
  }
}

const passwordField = z
  .string({ error: 'validation.required' })
  .min(PASSWORD_MIN_LENGTH, { error: 'auth.passwordTooShort' })
  .max(PASSWORD_MAX_LENGTH)
  .superRefine(refuseCommonPassword);

function passwordsMatch(value: { password: string; password_confirm: string }, ctx: z.RefinementCtx): void {
  if (value.password !== value.password_confirm) {
    ctx.addIssue({ code: 'custom', path: ['password_confirm'], message: 'auth.passwordsDiffer' });
  }
}

export const SetupFormSchema = z
  .object({
    token: z.string().max(200),
    display_name: requiredText(120),
    email: emailField,
    affiliation: optionalText(200),
    password: passwordField,
    password_confirm: z.string({ error: 'validation.required' }).max(PASSWORD_MAX_LENGTH),
  })
  .superRefine(passwordsMatch)
  .superRefine((value, ctx) => refusePasswordWithContext(value.password, { email: value.email, displayName: value.display_name }, ctx));

const roleList = z
  .union([z.enum(ROLES), z.array(z.enum(ROLES))], { error: 'validation.invalidChoice' })
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));

export const NewUserFormSchema = z
  .object({
    display_name: requiredText(120),
    email: emailField,
    affiliation: optionalText(200),
    roles: roleList,
    password: passwordField,
    password_confirm: z.string({ error: 'validation.required' }).max(PASSWORD_MAX_LENGTH),
  })
  .superRefine(passwordsMatch)
  .superRefine((value, ctx) => refusePasswordWithContext(value.password, { email: value.email, displayName: value.display_name }, ctx));

export const EditUserFormSchema = z.object({
  display_name: requiredText(120),
  affiliation: optionalText(200),
  roles: roleList,
  active: z
    .union([z.literal('1'), z.array(z.string())])
    .optional()
    .transform((v) => v !== undefined),
  password: z
    .string()
    .max(PASSWORD_MAX_LENGTH)
    .optional()
    .transform((v) => v ?? '')
    .pipe(
      z.union([z.literal(''), z.string().min(PASSWORD_MIN_LENGTH, { error: 'auth.passwordTooShort' }).superRefine(refuseCommonPassword)]),
    ),
});

/** The edit form of one account: a new password is also checked against the account's email, which is not a field. */
export function createEditUserFormSchema(email: string) {
  return EditUserFormSchema.superRefine((value, ctx) =>
    refusePasswordWithContext(value.password, { email, displayName: value.display_name }, ctx),
  );
}

/** Each account field's name in a sentence, so every error message names its field (parseForm's FieldLabeller). */
export const ACCOUNT_FIELD_LABELS = {
  email: 'validation.fields.email',
  password: 'validation.fields.password',
  password_confirm: 'validation.fields.passwordConfirm',
  current_password: 'validation.fields.currentPassword',
  display_name: 'validation.fields.displayName',
  affiliation: 'validation.fields.affiliation',
  roles: 'validation.fields.roles',
  code: 'validation.fields.mfaCode',
} as const satisfies Readonly<Record<string, MessageKey>>;
