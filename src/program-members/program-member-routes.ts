// The administrator's page for the people of a program: who are its leads and staff.
import { loadProgramOr404 } from '../municipalities/load-program.js';
import { Router } from 'express';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { requireRole, requireUser } from '../accounts/access.js';
import type { UserStore } from '../accounts/user-store.js';
import { isProgramLead } from './program-access.js';
import { NotFoundError } from '../errors.js';
import { setFlash } from '../http/flash.js';
import { idParam } from '../http/form-fields.js';
import { type FieldErrors, labelFields, parseForm, type RawForm } from '../http/form-parsing.js';
import { createFormView, renderPage } from '../http/render-page.js';
import type { MunicipalityStore, Program } from '../municipalities/municipality-store.js';
import { PROGRAM_ROLES, type ProgramMemberStore } from './program-member-store.js';

const MemberFormSchema = z.object({
  user_id: idParam,
  role: z.enum(PROGRAM_ROLES, { error: 'validation.invalidChoice' }),
});

const RemoveFormSchema = z.object({ user_id: idParam });

export type ProgramMemberRouterDependencies = {
  readonly members: ProgramMemberStore;
  readonly users: UserStore;
  readonly municipalities: MunicipalityStore;
};

export function createProgramMemberRouter({ members, users, municipalities }: ProgramMemberRouterDependencies): Router {
  const router = Router();
  const adminOnly = [requireUser(), requireRole('admin')];

  const findProgram = (rawId: unknown): Program => loadProgramOr404(municipalities, rawId);

  const renderMembers = async (req: Request, res: Response, program: Program, values: RawForm, errors: FieldErrors, status = 200) => {
    const people = members.listMembers(program.id);
    const memberIds = new Set(people.map((person) => person.userId));
    await renderPage(
      res,
      'program-members/index',
      {
        title: req.t('programMembers.title', { program: program.name }),
        program,
        people: people.map((person) => ({ ...person, roleLabel: req.t(`programMembers.roles.${person.role}`) })),
        userOptions: users
          .listUsers()
          .filter((user) => user.active)
          .map((user) => ({
            value: user.id,
            label: `${user.displayName}${user.affiliation ? ` (${user.affiliation})` : ''}${memberIds.has(user.id) ? ' ✓' : ''}`,
          })),
        roleOptions: PROGRAM_ROLES.map((role) => ({ value: role, label: req.t(`programMembers.roles.${role}`) })),
        form: createFormView(values, errors, status !== 200),
      },
      status,
    );
  };

  router.get('/programs/:id/members', ...adminOnly, async (req, res) => {
    await renderMembers(req, res, findProgram(req.params.id), { role: 'lead' }, {});
  });

  router.post('/programs/:id/members', ...adminOnly, async (req, res) => {
    const program = findProgram(req.params.id);
    const parsed = parseForm(
      MemberFormSchema,
      req.body,
      req.t,
      labelFields(req.t, { user_id: 'validation.fields.person', role: 'validation.fields.programRole' }),
    );
    if (!parsed.ok) return renderMembers(req, res, program, parsed.values, parsed.errors, 422);
    const person = users.findUserById(parsed.value.user_id);
    if (!person?.active) {
      const values: RawForm = { user_id: String(parsed.value.user_id), role: parsed.value.role };
      return renderMembers(req, res, program, values, { user_id: [req.t('validation.invalidChoice')] }, 422);
    }
    // A program's lead acts only while holding the account role Verksamhetsansvarig (isProgramLead): say so now, rather
    // than add a lead who can do nothing a lead does.
    if (parsed.value.role === 'lead' && !isProgramLead({ user: person, role: 'lead' })) {
      const values: RawForm = { user_id: String(parsed.value.user_id), role: parsed.value.role };
      return renderMembers(req, res, program, values, { role: [req.t('programMembers.leadNeedsRole', { name: person.displayName })] }, 422);
    }
    members.setMember(program.id, person.id, parsed.value.role, req.user?.id ?? 0);
    setFlash(req, 'programMembers.saved');
    res.redirect(303, `/programs/${program.id}/members`);
  });

  router.post('/programs/:id/members/remove', ...adminOnly, async (req, res) => {
    const program = findProgram(req.params.id);
    const parsed = parseForm(RemoveFormSchema, req.body, req.t);
    if (!parsed.ok) throw new NotFoundError();
    members.removeMember(program.id, parsed.value.user_id, req.user?.id ?? 0);
    setFlash(req, 'programMembers.saved');
    res.redirect(303, `/programs/${program.id}/members`);
  });

  return router;
}
