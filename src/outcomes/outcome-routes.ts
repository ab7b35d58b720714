// Outcome indicators per program and period: everyone logged in reads them (the program page shows them too);
// the program's leads and coordinators enter, correct and delete periods (deleting after a confirmation page).
import { loadProgramOr404 } from '../municipalities/load-program.js';
import { Router } from 'express';
import type { DescribeLatestResult } from '../municipalities/program-page-parts.js';
import type { Request, Response } from 'express';
import { requireUser } from '../accounts/access.js';
import type { Clock } from '../clock.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { setFlash } from '../http/flash.js';
import { idParam, versionField } from '../http/form-fields.js';
import { type FieldErrors, labelFields, parseForm, type RawForm, toRawForm } from '../http/form-parsing.js';
import { createFormView, renderPage } from '../http/render-page.js';
import { todayInSweden } from '../i18n/calendar.js';
import { formatLongDate } from '../i18n/format.js';
import { labelsOf } from '../i18n/labels.js';
import type { Locale } from '../i18n/locale.js';
import type { Translate } from '../i18n/messages.js';
import type { MunicipalityStore, Program } from '../municipalities/municipality-store.js';
import { canEditOutcomes, type ProgramViewer } from '../program-members/program-access.js';
import type { ProgramMemberStore } from '../program-members/program-member-store.js';
import {
  createOutcomeFormSchema,
  dayBefore,
  OUTCOME_DETAIL_FIELDS,
  OUTCOME_FIELD_LABELS,
  OUTCOME_FIELDS,
  OUTCOME_NOTE_MAX,
} from './outcome-forms.js';
import { OUTCOME_KINDS, type OutcomePeriod, type OutcomeStore } from './outcome-store.js';
import { buildOutcomePeriodView } from './outcome-view.js';

/** The outcome form's labels and hints (views/outcomes/fields.ejs), built here where tsc checks the keys, and the note's limit. */
function describeOutcomeFormLabels(t: Translate) {
  const fields = [...OUTCOME_FIELDS, ...OUTCOME_DETAIL_FIELDS];
  return {
    kindLabels: labelsOf(OUTCOME_KINDS, (kind) => `outcomes.kinds.${kind}`, t),
    fieldLabels: labelsOf(fields, (field) => `outcomes.fields.${field}`, t),
    fieldHints: labelsOf(fields, (field) => `outcomes.hints.${field}`, t),
    noteMax: OUTCOME_NOTE_MAX,
  };
}

export type OutcomeRouterDependencies = {
  /** The program's latest result, shown under the page's heading (ux.md rule 9); none when left out. */
  readonly latestResult?: DescribeLatestResult | undefined;
  readonly outcomes: OutcomeStore;
  readonly members: ProgramMemberStore;
  readonly municipalities: MunicipalityStore;
  /** "Today", which a period must have ended before: the app's clock. */
  readonly clock: Clock;
};

function periodValues(period: OutcomePeriod): RawForm {
  return {
    period_start: period.periodStart,
    period_end: period.periodEnd,
    moved_in: String(period.movedIn),
    still_first_flat: String(period.stillFirstFlat),
    still_in_program: String(period.stillInProgram),
    first_hand_leases: String(period.firstHandLeases),
    evictions: String(period.evictions),
    complaints: String(period.complaints),
    clients: String(period.clients),
    case_managers: String(period.caseManagers),
    note: period.note,
    version: String(period.version),
    kind: period.kind,
    offered: optionalValue(period.details.offered),
    exits_own_lease: optionalValue(period.details.exits.own_lease),
    exits_care: optionalValue(period.details.exits.care),
    exits_died: optionalValue(period.details.exits.died),
    exits_left: optionalValue(period.details.exits.left),
    exits_other: optionalValue(period.details.exits.other),
    eviction_threats: optionalValue(period.details.evictionThreats),
    terminated_leases: optionalValue(period.details.terminatedLeases),
    median_days_to_keys: optionalValue(period.details.medianDaysToKeys),
  };
}

function optionalValue(value: number | null): string {
  return value === null ? '' : String(value);
}

/** The version a correction or deletion form was based on; a missing or garbled one counts as stale (-1). */
function formVersion(body: unknown): number {
  const parsed = versionField.safeParse(toRawForm(body).version);
  return parsed.success ? parsed.data : -1;
}

export function createOutcomeRouter({ outcomes, members, municipalities, clock, latestResult }: OutcomeRouterDependencies): Router {
  const router = Router();
  router.use(['/programs/:id/outcomes', '/outcomes'], requireUser());

  /** The form as of today: a period ends yesterday at the latest, a day the message names in the user's language. */
  const outcomeFormSchema = (locale: Locale, storedEnd?: string) => {
    const today = todayInSweden(clock());
    return createOutcomeFormSchema(today, formatLongDate(dayBefore(today), locale), storedEnd);
  };

  const findProgram = (rawId: unknown): Program => loadProgramOr404(municipalities, rawId);

  const viewerOf = (req: Request, programId: number): ProgramViewer => {
    if (!req.user) throw new ForbiddenError();
    return { user: req.user, role: members.findRole(programId, req.user.id) };
  };

  const requireEditor = (req: Request, programId: number): ProgramViewer => {
    const viewer = viewerOf(req, programId);
    if (!canEditOutcomes(viewer)) throw new ForbiddenError('outcomes.editorsOnly');
    return viewer;
  };

  const loadPeriod = (req: Request) => {
    const id = idParam.safeParse(req.params.id);
    const period = id.success ? outcomes.findPeriod(id.data) : undefined;
    if (!period) throw new NotFoundError();
    const program = findProgram(period.programId);
    return { period, program, viewer: requireEditor(req, program.id) };
  };

  /** The overlap message names the other period, on the start date field. */
  const overlapErrors = (req: Request, other: OutcomePeriod): FieldErrors => ({
    period_start: [req.t('outcomes.errors.overlap', { start: other.periodStart, end: other.periodEnd })],
  });

  const renderList = async (req: Request, res: Response, program: Program, values: RawForm, errors: FieldErrors, status = 200) => {
    const viewer = viewerOf(req, program.id);
    await renderPage(
      res,
      'outcomes/index',
      {
        title: req.t('outcomes.title', { program: program.name }),
        program,
        latest: latestResult?.(program, req.t, req.locale),
        periods: outcomes.listPeriods(program.id).map((period) => buildOutcomePeriodView(period, req.locale)),
        canEdit: canEditOutcomes(viewer),
        fields: OUTCOME_FIELDS,
        detailFields: OUTCOME_DETAIL_FIELDS,
        kinds: OUTCOME_KINDS,
        ...describeOutcomeFormLabels(req.t),
        form: createFormView(values, errors, status !== 200),
      },
      status,
    );
  };

  router.get('/programs/:id/outcomes', async (req, res) => {
    await renderList(req, res, findProgram(req.params.id), {}, {});
  });

  router.post('/programs/:id/outcomes', async (req, res) => {
    const program = findProgram(req.params.id);
    const viewer = requireEditor(req, program.id);
    const parsed = parseForm(outcomeFormSchema(req.locale), req.body, req.t, labelFields(req.t, OUTCOME_FIELD_LABELS));
    if (!parsed.ok) return renderList(req, res, program, parsed.values, parsed.errors, 422);
    const saved = outcomes.insertPeriod(program.id, parsed.value, viewer.user.id);
    if (saved.outcome === 'overlap') return renderList(req, res, program, toRawForm(req.body), overlapErrors(req, saved.other), 422);
    setFlash(req, 'outcomes.saved');
    res.redirect(303, `/programs/${program.id}/outcomes`);
  });

  const renderEdit = async (
    req: Request,
    res: Response,
    loaded: ReturnType<typeof loadPeriod>,
    values: RawForm,
    errors: FieldErrors,
    status = 200,
    conflict?: { readonly message: string; readonly current: OutcomePeriod },
  ) => {
    await renderPage(
      res,
      'outcomes/edit',
      {
        title: req.t('outcomes.editTitle', { start: loaded.period.periodStart, end: loaded.period.periodEnd }),
        program: loaded.program,
        latest: latestResult?.(loaded.program, req.t, req.locale),
        period: loaded.period,
        fields: OUTCOME_FIELDS,
        detailFields: OUTCOME_DETAIL_FIELDS,
        kinds: OUTCOME_KINDS,
        ...describeOutcomeFormLabels(req.t),
        form: createFormView(values, errors, status !== 200),
        // After a stale save: what is stored now, next to the user's own values kept in the form.
        conflictNotice: conflict?.message,
        storedNow: conflict ? [buildOutcomePeriodView(conflict.current, req.locale)] : undefined,
        // Saving or deleting again from this page is knowingly based on what is stored now.
        version: conflict?.current.version ?? loaded.period.version,
      },
      status,
    );
  };

  router.get('/outcomes/:id', async (req, res) => {
    const loaded = loadPeriod(req);
    await renderEdit(req, res, loaded, periodValues(loaded.period), {});
  });

  router.post('/outcomes/:id', async (req, res) => {
    const loaded = loadPeriod(req);
    const parsed = parseForm(
      outcomeFormSchema(req.locale, loaded.period.periodEnd),
      req.body,
      req.t,
      labelFields(req.t, OUTCOME_FIELD_LABELS),
    );
    if (!parsed.ok) return renderEdit(req, res, loaded, parsed.values, parsed.errors, 422);
    const saved = outcomes.updatePeriod(loaded.period.id, parsed.value, formVersion(req.body), loaded.viewer.user.id);
    if (saved.outcome === 'missing') throw new NotFoundError();
    if (saved.outcome === 'overlap') return renderEdit(req, res, loaded, toRawForm(req.body), overlapErrors(req, saved.other), 422);
    if (saved.outcome === 'conflict') {
      const values = { ...toRawForm(req.body), version: String(saved.current.version) };
      return renderEdit(req, res, loaded, values, {}, 409, { message: req.t('outcomes.editConflict'), current: saved.current });
    }
    setFlash(req, 'outcomes.saved');
    res.redirect(303, `/programs/${loaded.program.id}/outcomes`);
  });

  // Deleting asks first: this page shows the period and its figures as stored now, with the confirm button carrying
  // their version (so a change made after this page was shown is refused with 409) and a way back.
  router.get('/outcomes/:id/delete', async (req, res) => {
    const { period, program } = loadPeriod(req);
    await renderPage(res, 'outcomes/delete', {
      title: req.t('outcomes.deleteTitle', { start: period.periodStart, end: period.periodEnd }),
      program,
      period,
      periods: [buildOutcomePeriodView(period, req.locale)],
      version: period.version,
    });
  });

  router.post('/outcomes/:id/delete', async (req, res) => {
    const loaded = loadPeriod(req);
    const deleted = outcomes.deletePeriod(loaded.period.id, formVersion(req.body), loaded.viewer.user.id);
    if (deleted === 'missing') throw new NotFoundError();
    if (deleted !== 'deleted') {
      return renderEdit(req, res, loaded, periodValues(deleted.current), {}, 409, {
        message: req.t('outcomes.deleteConflict'),
        current: deleted.current,
      });
    }
    setFlash(req, 'outcomes.deleted');
    res.redirect(303, `/programs/${loaded.program.id}/outcomes`);
  });

  return router;
}
