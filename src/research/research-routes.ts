// The research pages: comparison (heat map, trend, agreement), the CSV exports and the import of historical
// reviews. For researchers and coordinators (administrators pass as coordinators); names in exports only for
// administrators who ask, and rater roles and pseudonyms that follow a person across reviews only for
// administrators (see research-export.ts).
//
// The comparison shows peer reviews unless another kind is chosen: a program's imported self-assessment must not
// take the place of its peer review. With "all kinds" chosen, every heat map row says which kind it shows.
import { Router } from 'express';
import type { Request, Response } from 'express';
import { currentUser, requireRole, requireUser } from '../accounts/access.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { idParam } from '../http/form-fields.js';
import { FORM_ERROR, type FieldErrors, labelFields, localizeIssues, parseForm, type RawForm, toRawForm } from '../http/form-parsing.js';
import { createFormView, type FormView, renderPage } from '../http/render-page.js';
import { labelsOf } from '../i18n/labels.js';
import type { Locale } from '../i18n/locale.js';
import { REVIEW_KINDS, type ReviewKind } from '../reviews/review-types.js';
import type { LoadedRubric } from '../rubrics/load-rubrics.js';
import type { RubricRegistry } from '../rubrics/rubric-registry.js';
import type { Rubric } from '../rubrics/rubric-schema.js';
import { buildAgreementView, countReviews, createIndicatorNamer } from '../agreement/agreement-view.js';
import {
  buildHeatMap,
  buildTrend,
  describeOverallSections,
  listProgramsWithoutReview,
  MAX_MISSING_NAMED,
  MIN_COMPARISON_PROGRAMS,
  pickLatestPerProgram,
} from './comparison.js';
import { LONG_COLUMNS, listLongColumns, OPTIONAL_LONG_COLUMNS } from './long-format.js';
import {
  ALL_KINDS,
  createComparisonQuerySchema,
  DEFAULT_KIND,
  kindOfChoice,
  createExportQuerySchema,
  createImportFormSchema,
  MatrixQuerySchema,
} from './research-forms.js';
import { type ChunkSink, exportLongFormat, formatCodebook, formatLevelRules, formatReviewMatrix } from './research-export.js';
import { checkImportCsv, formatProblemLines, type ImportProblem } from './research-import.js';
import { IMPORT_FILE_FIELD, IMPORT_PATH, readImportUpload } from './research-upload.js';
import type { ResearchImport } from './research-import-workflow.js';
import type { ResearchFilter, ResearchStore } from './research-store.js';
import { computeRubricAgreement, MIN_AGREEMENT_REVIEWS, MIN_ITEM_PAIRS, type RubricAgreement } from './rubric-agreement.js';
import { MIN_ICC_UNITS } from '../agreement/agreement.js';
import { formatScore } from '../i18n/format.js';

export type ResearchRouterDependencies = {
  readonly research: ResearchStore;
  readonly researchImport: ResearchImport;
  readonly rubrics: RubricRegistry;
};

/** Who may use the research pages: also decides the navigation link. */
export const RESEARCH_ROLES = ['researcher', 'coordinator'] as const;

const AGREEMENT_CACHE_SIZE = 16;

type Reference = { readonly rubric: Rubric; readonly version: string };

export function createResearchRouter({ research: store, researchImport, rubrics }: ResearchRouterDependencies): Router {
  const router = Router();

  // Figures over every final review take a while on large data; they only change when the set of final reviews
  // does, so they are kept per filter until the fingerprint of the final reviews changes.
  let cacheFingerprint = '';
  const agreementCache = new Map<string, Promise<RubricAgreement>>();
  const findRubricAgreement = (filter: ResearchFilter): Promise<RubricAgreement> => {
    const fingerprint = store.readFinalReviewsFingerprint();
    if (fingerprint !== cacheFingerprint) {
      agreementCache.clear();
      cacheFingerprint = fingerprint;
    }
    const key = `${filter.rubricId}|${filter.kind ?? ''}|${filter.year ?? ''}`;
    let pending = agreementCache.get(key);
    if (!pending) {
      pending = computeRubricAgreement(store, filter);
      pending.catch(() => agreementCache.delete(key));
      agreementCache.set(key, pending);
      if (agreementCache.size > AGREEMENT_CACHE_SIZE) {
        const oldest = agreementCache.keys().next().value;
        if (oldest !== undefined) agreementCache.delete(oldest);
      }
    }
    return pending;
  };

  /** Rubric ids to compare: those loaded from files, then any others that have final reviews. */
  const listRubricIds = (): string[] => {
    const ids = [...rubrics.keys()];
    for (const id of store.listRubricIdsWithFinalReviews()) if (!ids.includes(id)) ids.push(id);
    return ids;
  };

  /** The version compared against: the loaded file, else the newest stored snapshot. */
  const findReference = (rubricId: string): Reference | undefined => {
    const loaded = rubrics.get(rubricId);
    if (loaded) return { rubric: loaded.rubric, version: loaded.rubric.version };
    const newest = store.listSnapshots(rubricId).at(-1);
    return newest ? { rubric: store.loadSnapshot(newest.id), version: newest.version } : undefined;
  };

  /** Every version of a rubric, once each (the loaded one wins for its version), oldest first. */
  const listVersions = (rubricId: string): Rubric[] => {
    const byVersion = new Map<string, Rubric>();
    for (const snapshot of store.listSnapshots(rubricId)) byVersion.set(snapshot.version, store.loadSnapshot(snapshot.id));
    const loaded = rubrics.get(rubricId);
    if (loaded) {
      byVersion.delete(loaded.rubric.version);
      byVersion.set(loaded.rubric.version, loaded.rubric);
    }
    return [...byVersion.values()];
  };

  const rubricLabel = (rubricId: string, locale: Locale): string => {
    const reference = findReference(rubricId);
    return reference ? `${reference.rubric.title[locale]} (${rubricId})` : rubricId;
  };

  router.use('/research', requireUser(), requireRole(...RESEARCH_ROLES));

  /** One set of agreement figures as views/research/agreement-figures.ejs shows it: of one kind, or of the selection. */
  type AgreementGroup = {
    readonly id: string;
    readonly heading: string | undefined;
    readonly view: ReturnType<typeof buildAgreementView>;
    readonly intro: string;
    readonly across: string | undefined;
    /** Small numbers said in words: "Bygger på 1 granskning: osäkert …". */
    readonly notes: readonly string[];
  };

  const describeAgreement = (
    agreement: RubricAgreement,
    reference: Reference,
    req: Request,
    group: { readonly id: string; readonly heading: string | undefined },
  ): AgreementGroup => {
    const count = agreement.reviews;
    const few =
      count === 0 || count >= MIN_AGREEMENT_REVIEWS
        ? []
        : [
            count === 1
              ? req.t('research.agreement.fewReviewsOne')
              : req.t('research.agreement.fewReviews', { count, min: MIN_AGREEMENT_REVIEWS }),
          ];
    return {
      ...group,
      view: buildAgreementView(agreement.statistics, createIndicatorNamer(reference.rubric, req.locale), req.locale, 10, MIN_ITEM_PAIRS),
      intro: req.t('research.agreement.introRubric', { reviews: countReviews(count, req.locale) }),
      across:
        agreement.reviewsWithIcc > 0
          ? req.t('research.agreement.iccAcrossReviews', {
              icc2: formatScore(agreement.medianIcc2, req.locale, 3),
              icc2k: formatScore(agreement.medianIcc2k, req.locale, 3),
              reviews: countReviews(agreement.reviewsWithIcc, req.locale),
              min: MIN_ICC_UNITS,
            })
          : undefined,
      notes: few,
    };
  };

  type Option = { readonly value: string; readonly label: string };
  type HeatMap = ReturnType<typeof buildHeatMap>;
  /** What views/research/index.ejs is rendered with (besides res.locals): no rubric to show yet, or the comparison. */
  type ResearchPageLocals =
    | { readonly title: string; readonly empty: true; readonly form: FormView }
    | {
        readonly title: string;
        readonly empty: false;
        readonly form: FormView;
        readonly rubricOptions: readonly Option[];
        readonly yearOptions: readonly Option[];
        readonly kindOptions: readonly Option[];
        /** The label of each review kind, built here where tsc checks the keys. */
        readonly kindLabels: Readonly<Record<ReviewKind, string>>;
        readonly programOptions: readonly Option[];
        readonly selected: { readonly rubric: string; readonly year: string; readonly kind: string; readonly program: string };
        readonly showKind: boolean;
        readonly heatMap: Omit<HeatMap, 'rows'> & {
          readonly rows: readonly (HeatMap['rows'][number] & { readonly shortLabel: string; readonly trendHref: string })[];
        };
        /** Under the heat map and the trend: per other version, what its rounds' figures are (the † note). */
        readonly versionNotes: readonly string[];
        /** Per row whose level a core element caps, the cap in words (the * note). */
        readonly capNotes: readonly string[];
        /** Which programs have no row, and whether the rows are too few to compare; '' when nothing is to be said. */
        readonly coverage: string;
        readonly fewPrograms: string;
        /** The heat map's overall column in words, when it is the mean of some sections only. */
        readonly overallIntro: string;
        readonly trend: ReturnType<typeof buildTrend> | undefined;
        readonly trendRequested: boolean;
        /** Whether the agreement comes per kind of review (all kinds chosen): never pooled across kinds. */
        readonly agreementPerKind: boolean;
        readonly agreements: readonly AgreementGroup[];
        readonly exportQuery: string;
        readonly isAdmin: boolean;
        readonly longColumns: string;
      };

  router.get('/research', async (req, res) => {
    const rubricIds = listRubricIds();
    const raw = toRawForm(req.query);
    const parsed = createComparisonQuerySchema(rubricIds).safeParse(raw);
    const errors: FieldErrors = parsed.success ? {} : localizeIssues(parsed.error.issues, raw, req.t);
    const query = parsed.success ? parsed.data : { rubric: undefined, year: undefined, kind: DEFAULT_KIND, program: undefined };
    const withData = store.listRubricIdsWithFinalReviews();
    const rubricId = query.rubric ?? rubricIds.find((id) => withData.includes(id)) ?? rubricIds[0];
    const reference = rubricId === undefined ? undefined : findReference(rubricId);
    if (rubricId === undefined || reference === undefined) {
      await renderPage<ResearchPageLocals>(
        res,
        'research/index',
        { title: req.t('research.title'), empty: true, form: createFormView(raw, errors, true) },
        parsed.success ? 200 : 422,
      );
      return;
    }
    const filter: ResearchFilter = { rubricId, kind: kindOfChoice(query.kind), year: query.year };
    const finals = store.listFinalReviews(filter);
    const latest = pickLatestPerProgram(finals);
    // Of one kind, the rows need not say it; across kinds, each says which kind its round is.
    const showKind = filter.kind === undefined;
    const heatMap = buildHeatMap(
      reference,
      latest,
      store.listConsensusOfReviews(latest.map((review) => review.id)),
      store.loadSnapshot,
      req.locale,
      {
        kindLabel: showKind ? (kind) => req.t(`reviews.kind.${kind}`) : undefined,
        overallLabel: (codes) => (codes === undefined ? req.t('research.heatmap.overall') : req.t('research.heatmap.overallOf', { codes })),
      },
    );

    const programs = new Map<number, string>();
    for (const review of latest) programs.set(review.programId, `${review.municipalityName}: ${review.programName}`);
    const allPrograms = store.listPrograms();
    const missing = listProgramsWithoutReview(allPrograms, latest);
    const coverage =
      latest.length === 0 || missing.length === 0
        ? ''
        : req.t('research.heatmap.coverage', {
            shown: latest.length,
            total: allPrograms.length,
            names:
              missing.length > MAX_MISSING_NAMED
                ? req.t('research.heatmap.coverageMore', {
                    names: missing.slice(0, MAX_MISSING_NAMED).join(', '),
                    count: missing.length - MAX_MISSING_NAMED,
                  })
                : missing.join(', '),
          });
    const fewPrograms =
      latest.length === 0 || latest.length >= MIN_COMPARISON_PROGRAMS
        ? ''
        : latest.length === 1
          ? req.t('research.heatmap.fewProgramsOne')
          : req.t('research.heatmap.fewPrograms', { count: latest.length });
    const referenceCodes = describeOverallSections(reference.rubric);
    let trend: ReturnType<typeof buildTrend> | undefined;
    if (query.program !== undefined) {
      const rounds = store.listFinalReviewsOfProgram({ ...filter, year: undefined }, query.program);
      trend = buildTrend(
        reference,
        rounds,
        store.listConsensusOfReviews(rounds.map((round) => round.id)),
        store.loadSnapshot,
        req.locale,
        heatMap.overallLabel,
      );
    }

    const trendHref = (programId: number) =>
      `/research?${new URLSearchParams({ rubric: rubricId, kind: query.kind, ...(query.year ? { year: query.year } : {}), program: String(programId) }).toString()}#trend`;
    // Each other version once, with the sections its overall figure is the mean of.
    const otherVersions = new Map<string, string>();
    for (const row of heatMap.rows) if (row.otherVersion) otherVersions.set(row.rubricVersion, row.overallCodes);
    for (const round of trend?.rounds ?? []) if (round.otherVersion) otherVersions.set(round.rubricVersion, round.overallCodes);
    const versionNotes = [...otherVersions].map(([version, codes]) =>
      [
        req.t('research.heatmap.otherVersion', { version, reference: reference.version }),
        codes === referenceCodes
          ? ''
          : req.t('research.heatmap.otherVersionOverall', { version, codes, reference: reference.version, referenceCodes }),
      ]
        .filter((text) => text !== '')
        .join(' '),
    );
    const capNotes = heatMap.rows.flatMap((row) =>
      row.cap
        ? [
            req.t('research.heatmap.cappedRow', {
              program: row.label,
              caps: row.cap.sentences.join(' '),
              reasons: row.cap.reasons.join(' '),
            }),
          ]
        : [],
    );

    // Across all kinds the agreement comes per kind: a self-assessment's raters and evidence are not a peer panel's.
    const agreementPerKind = filter.kind === undefined;
    const agreements: AgreementGroup[] = [];
    if (agreementPerKind) {
      for (const kind of REVIEW_KINDS) {
        const agreement = await findRubricAgreement({ ...filter, kind });
        if (agreement.reviews > 0)
          agreements.push(
            describeAgreement(agreement, reference, req, {
              id: `agreement-${kind.replace('_', '-')}`,
              heading: req.t(`reviews.kind.${kind}`),
            }),
          );
      }
    }
    if (agreements.length === 0)
      agreements.push(describeAgreement(await findRubricAgreement(filter), reference, req, { id: 'agreement', heading: undefined }));
    // The downloads offered are of what the page shows: the export takes one kind, or every kind without one.
    const exportQuery = new URLSearchParams({
      rubric: rubricId,
      ...(filter.kind ? { kind: filter.kind } : {}),
      ...(query.year ? { year: query.year } : {}),
    }).toString();
    const isAdmin = currentUser(req).roles.includes('admin');

    await renderPage<ResearchPageLocals>(
      res,
      'research/index',
      {
        title: req.t('research.title'),
        empty: false,
        // An empty kind (as older links have it) shows as the kind it stands for.
        form: createFormView(parsed.success ? { ...raw, kind: query.kind } : raw, errors, false),
        rubricOptions: rubricIds.map((id) => ({ value: id, label: rubricLabel(id, req.locale) })),
        yearOptions: [
          { value: '', label: req.t('research.filters.allYears') },
          ...store.listReviewYears(rubricId).map((year) => ({ value: year, label: year })),
        ],
        kindOptions: [
          ...REVIEW_KINDS.map((kind) => ({ value: kind, label: req.t(`reviews.kind.${kind}`) })),
          { value: ALL_KINDS, label: req.t('research.filters.allKinds') },
        ],
        kindLabels: labelsOf(REVIEW_KINDS, (kind) => `reviews.kind.${kind}`, req.t),
        programOptions: [
          { value: '', label: req.t('research.filters.noProgram') },
          ...[...programs.entries()].map(([value, label]) => ({ value: String(value), label })),
        ],
        selected: {
          rubric: rubricId,
          year: query.year ?? '',
          kind: query.kind,
          program: query.program === undefined ? '' : String(query.program),
        },
        showKind,
        heatMap: {
          ...heatMap,
          rows: heatMap.rows.map((row) => ({ ...row, shortLabel: shortenLabel(row.label), trendHref: trendHref(row.programId) })),
        },
        versionNotes,
        capNotes,
        coverage,
        fewPrograms,
        overallIntro: heatMap.overallCodes === undefined ? '' : req.t('research.heatmap.overallIntro', { codes: heatMap.overallCodes }),
        trend,
        trendRequested: query.program !== undefined,
        agreementPerKind: agreementPerKind && agreements[0]?.heading !== undefined,
        agreements,
        exportQuery,
        isAdmin,
        longColumns: listLongColumns({ raterRoles: isAdmin }).join(', '),
      },
      parsed.success ? 200 : 422,
    );
  });

  const parseExportQuery = (req: Request) => {
    const parsed = createExportQuerySchema(listRubricIds()).safeParse(toRawForm(req.query));
    if (!parsed.success) throw new NotFoundError();
    const names = parsed.data.names === '1';
    // Names are for administrators only, and only when they ask; a coordinator is not an administrator here.
    const admin = currentUser(req).roles.includes('admin');
    if (names && !admin) throw new ForbiddenError();
    return {
      filter: { rubricId: parsed.data.rubric, kind: parsed.data.kind, year: parsed.data.year },
      admin,
      names,
      excel: parsed.data.bom === '1',
    };
  };

  router.get('/research/export/ratings.csv', async (req, res) => {
    const { filter, admin, names, excel } = parseExportQuery(req);
    startCsvDownload(res, `ratings-${filter.rubricId}${filter.year ? `-${filter.year}` : ''}${names ? '-names' : ''}.csv`);
    await exportLongFormat(store, filter, { admin, names, excel }, createResponseSink(res));
    res.end();
  });

  router.get('/research/export/codebook.csv', (req, res) => {
    const { filter, excel } = parseExportQuery(req);
    startCsvDownload(res, `codebook-${filter.rubricId}.csv`);
    res.end(formatCodebook(listVersions(filter.rubricId), excel));
  });

  // What the level is computed from besides the codebook: min_rated_share, the bands and the caps, per version.
  router.get('/research/export/level-rules.csv', (req, res) => {
    const { filter, excel } = parseExportQuery(req);
    startCsvDownload(res, `level-rules-${filter.rubricId}.csv`);
    res.end(formatLevelRules(listVersions(filter.rubricId), excel));
  });

  router.get('/research/reviews/:id/matrix.csv', (req, res) => {
    const id = idParam.safeParse(req.params.id);
    const review = id.success ? store.findFinalReview(id.data) : undefined;
    if (!review) throw new NotFoundError();
    const query = MatrixQuerySchema.safeParse(toRawForm(req.query));
    if (!query.success) throw new NotFoundError();
    const names = query.data.names === '1';
    const admin = currentUser(req).roles.includes('admin');
    if (names && !admin) throw new ForbiddenError();
    startCsvDownload(res, `matrix-review-${review.id}${names ? '-names' : ''}.csv`);
    res.end(formatReviewMatrix(store, review, { admin, names, excel: query.data.bom === '1' }));
  });

  const importRubricOptions = (locale: Locale) =>
    [...rubrics.values()].map(({ rubric }) => ({ value: rubric.id, label: `${rubric.title[locale]} (${rubric.id}, ${rubric.version})` }));

  const renderImport = async (
    req: Request,
    res: Response,
    values: RawForm,
    errors: FieldErrors,
    extra: { problems?: readonly ImportProblem[]; moreProblems?: number; alreadyImported?: string } = {},
    status = 200,
  ) => {
    // Rows refused, or the same data imported before: the file is refused as a whole, an error of the form (no field's),
    // so the page shows it as a refused form does (focused summary, "Fel: " title) without naming a field as wrong.
    const problems = extra.problems ?? [];
    const refusal =
      extra.alreadyImported !== undefined
        ? req.t('research.import.alreadyImported', { date: extra.alreadyImported })
        : problems.length > 0
          ? req.t('research.import.problemsIntro')
          : undefined;
    await renderPage(
      res,
      'research/import',
      {
        title: req.t('research.import.title'),
        form: createFormView(values, refusal === undefined ? errors : { ...errors, [FORM_ERROR]: [refusal] }, status !== 200),
        fileRefused: refusal !== undefined,
        rubricOptions: importRubricOptions(req.locale),
        kindOptions: REVIEW_KINDS.map((kind) => ({ value: kind, label: req.t(`reviews.kind.${kind}`) })),
        problems: problems.map((problem) => ({
          lines: formatProblemLines(problem, req.t, req.locale),
          column: problem.column,
          message: problem.message,
        })),
        moreProblems: extra.moreProblems ?? 0,
        longColumns: LONG_COLUMNS.join(', '),
        optionalColumns: OPTIONAL_LONG_COLUMNS.join(', '),
      },
      status,
    );
  };

  router.get('/research/import', async (req, res) => {
    const first = [...rubrics.keys()][0] ?? '';
    await renderImport(req, res, { rubric: first, kind: 'peer_review' }, {});
  });

  router.post(IMPORT_PATH, async (req, res) => {
    const values = toRawForm(req.body);
    const upload = readImportUpload(req, res);
    if (!upload.ok) return renderImport(req, res, values, { [IMPORT_FILE_FIELD]: [req.t(upload.error)] }, {}, upload.status);
    const raw = upload.text === undefined ? values : { ...values, [IMPORT_FILE_FIELD]: upload.text };
    const form = parseForm(
      createImportFormSchema([...rubrics.keys()]),
      raw,
      req.t,
      labelFields(req.t, {
        rubric: 'validation.fields.rubric',
        kind: 'validation.fields.reviewKind',
        csv: 'validation.fields.csv',
        csv_file: 'validation.fields.csv',
      }),
    );
    // The file's text is never sent back into the page: a file input cannot be refilled, so the user chooses it again.
    if (!form.ok) return renderImport(req, res, values, form.errors, {}, 422);
    const loaded: LoadedRubric | undefined = rubrics.get(form.value.rubric);
    if (!loaded) throw new NotFoundError();
    const check = await checkImportCsv(
      form.value.csv,
      {
        rubricId: loaded.rubric.id,
        current: loaded,
        findVersion: (version) => store.findSnapshotByVersion(loaded.rubric.id, version),
        installedVersions: [
          ...new Set([loaded.rubric.version, ...store.listSnapshots(loaded.rubric.id).map((snapshot) => snapshot.version)]),
        ],
        hasMunicipality: store.hasMunicipality,
        findProgramId: store.findProgramId,
        kind: form.value.kind,
        hasFinalReviewOn: store.hasFinalReviewOn,
        kindLabel: (kind) => req.t(`reviews.kind.${kind}`),
      },
      req.t,
    );
    // The same data again is named as such first, rather than as each of its reviews already being here.
    const previous =
      (check.contentHash === undefined ? undefined : store.findImportByHash(check.contentHash)) ?? store.findImportByHash(check.textHash);
    if (previous) return renderImport(req, res, values, {}, { alreadyImported: previous.importedAt.slice(0, 10) }, 422);
    if (!check.ok) return renderImport(req, res, values, {}, { problems: check.problems, moreProblems: check.moreProblems }, 422);
    const importId = researchImport.importReviews({
      rubricId: loaded.rubric.id,
      kind: form.value.kind,
      contentHash: check.contentHash,
      rowCount: check.rowCount,
      importedBy: currentUser(req).id,
      reviews: check.reviews,
    });
    res.redirect(303, `/research/imports/${importId}`);
  });

  router.get('/research/imports/:id', async (req, res) => {
    const id = idParam.safeParse(req.params.id);
    const summary = id.success ? store.findImport(id.data) : undefined;
    if (!summary) throw new NotFoundError();
    await renderPage(res, 'research/import-summary', {
      title: req.t('research.import.summaryTitle'),
      summary,
      rubricLabel: rubricLabel(summary.rubricId, req.locale),
      importedOn: summary.importedAt.slice(0, 10),
      // The kinds of the rounds imported: from the file's kind column, else the one chosen on the form.
      kindLabel:
        [...new Set(summary.reviews.map((review) => review.kind))].map((kind) => req.t(`reviews.kind.${kind}`)).join(', ') ||
        req.t(`reviews.kind.${summary.kind}`),
      showKinds: new Set(summary.reviews.map((review) => review.kind)).size > 1,
      kindLabels: labelsOf(REVIEW_KINDS, (kind) => `reviews.kind.${kind}`, req.t),
    });
  });

  return router;
}

/** Labels in the heat map's SVG get a fixed column: long ones are cut (the table has them in full). */
function shortenLabel(label: string, max = 36): string {
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}

function startCsvDownload(res: Response, fileName: string): void {
  res.status(200);
  res.type('text/csv; charset=utf-8; header=present');
  res.set('Content-Disposition', `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
  // Rating data is not for shared caches, nor for the browser's.
  res.set('Cache-Control', 'no-store');
}

/** Writes to the response, waiting for 'drain' when its buffer is full; stops when the client goes away. */
function createResponseSink(res: Response): ChunkSink {
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  return {
    closed: () => closed,
    write: (chunk) =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        if (res.write(chunk)) return resolve();
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      }),
  };
}
