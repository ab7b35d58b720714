// Forms of the account's own security: a second-factor code, and a new password (which needs the current one).
import { z } from 'zod';
import { findPasswordProblem, type PasswordContext } from './password-policy.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.js';

/** A TOTP code (six digits) or a recovery code (xxxxx-xxxxx); which one is decided when it is checked. */
export const MfaCodeFormSchema = z.object({
  code: z.string({ error: 'validation.required' }).trim().min(1, { error: 'validation.required' }).max(40, { error: 'auth.mfaCodeWrong' }),
});

/** The same rules as everywhere a password is set (account-forms.ts): length, the block-list, the account's own words. */
export function createPasswordChangeFormSchema(context: PasswordContext) {
  return z
    .object({
      current_password: z.string({ error: 'validation.required' }).min(1, { error: 'validation.required' }).max(PASSWORD_MAX_LENGTH),
      password: z
        .string({ error: 'validation.required' })
        .min(PASSWORD_MIN_LENGTH, { error: 'auth.passwordTooShort' })
        .max(PASSWORD_MAX_LENGTH),
      password_confirm: z.string({ error: 'validation.required' }).max(PASSWORD_MAX_LENGTH),
    })
    .superRefine((value, ctx) => {
      if (value.password.length >= PASSWORD_MIN_LENGTH) {
        const problem = findPasswordProblem(value.password, context);
        if (problem === 'tooCommon') ctx.addIssue({ code: 'custom', path: ['password'], message: 'auth.passwordTooCommon' });
        if (problem === 'contextual') ctx.addIssue({ code: 'custom', path: ['password'], message: 'auth.passwordContextual' });
      }
      if (value.password !== value.password_confirm) {
        ctx.addIssue({ code: 'custom', path: ['password_confirm'], message: 'auth.passwordsDiffer' });
      }
      if (value.password !== '' && value.password === value.current_password) {
        ctx.addIssue({ code: 'custom', path: ['password'], message: 'auth.passwordUnchanged' });
      }
    });
}
