// The verification code: sha256 of the canonical JSON of the report's facts (what the report states, in no
// particular language: scores, texts the panel wrote, panel, dates, the rubric's content hash), shown as the first
// 12 hex digits. The Swedish and English reports of the same data therefore share the code. The facts carry no
// rater ids: individual ratings reach them only as a spread (lowest–highest and how many raters). The method
// appendix's agreement figures follow from the submitted ratings too and are left out on purpose, so that every
// report keeps its code: a submitted rating is locked (rating-store.ts), and a rater's submitting changes the spreads'
// counts, so the spreads already pin them.
import { createHash } from 'node:crypto';
import type { ReviewKind } from '../reviews/review-types.js';
import { summarizeSpread } from '../reviews/rating-spread.js';
import { canonicalStringify } from '../rubrics/load-rubrics.js';
import { collectProgramWorkFacts } from './report-data.js';
import type { ReportData, ReviewRecord } from './report-data.js';
import { findReportDates } from './report-dates.js';

const FORMAT_VERSION = 1;

type ReviewFacts = {
  readonly kind: ReviewKind;
  readonly visitStart: string | null;
  readonly visitEnd: string | null;
  readonly finalisedAt: string | null;
  readonly rubric: { readonly id: string; readonly version: string; readonly contentHash: string };
  readonly consensus: readonly {
    readonly indicatorId: string;
    readonly score: number | null;
    readonly notApplicable: boolean;
    readonly rationale: string;
  }[];
};

/** What the report states, with no language: the input of the verification hash. */
function collectFacts(data: ReportData): unknown {
  const { reportDate, actionsAsOf } = findReportDates(data);
  const reviewFacts = (record: ReviewRecord): ReviewFacts => ({
    kind: record.review.kind,
    visitStart: record.review.visitStart ?? null,
    visitEnd: record.review.visitEnd ?? null,
    finalisedAt: record.review.finalisedAt ?? null,
    rubric: { id: record.review.rubricId, version: record.review.rubricVersion, contentHash: record.review.rubric.contentHash },
    consensus: [...record.consensus]
      .sort((a, b) => (a.indicatorId < b.indicatorId ? -1 : a.indicatorId > b.indicatorId ? 1 : 0))
      .map((c) => ({ indicatorId: c.indicatorId, score: c.score, notApplicable: c.notApplicable, rationale: c.rationale })),
  });
  return {
    format: FORMAT_VERSION,
    municipality: { code: data.municipality.code, name: data.municipality.name },
    programsWithoutFinalReview: data.programsWithoutFinalReview,
    programs: data.programs.map(({ program, latest, previous, programWork }) => ({
      name: program.name,
      supportProvider: program.supportProvider,
      supportModel: program.supportModel,
      latest: {
        ...reviewFacts(latest),
        panel: latest.panel.map((member) => ({ name: member.displayName, affiliation: member.affiliation, role: member.role })),
        // The spread as printed: counts and bounds, never who gave what.
        spreads: latest.review.rubric.rubric.sections.flatMap((section) =>
          section.indicators.map((indicator) => {
            const spread = summarizeSpread(
              indicator.scale,
              latest.submittedRatings
                .filter((rating) => rating.indicatorId === indicator.id)
                .map((rating) => ({ raterId: rating.raterId, score: rating.score, notApplicable: rating.notApplicable })),
            );
            return { indicatorId: indicator.id, count: spread.count, min: spread.min, max: spread.max, na: spread.naCount };
          }),
        ),
        findings: [...latest.findings]
          .sort(
            (a, b) =>
              (a.sectionId < b.sectionId ? -1 : a.sectionId > b.sectionId ? 1 : 0) ||
              (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) ||
              a.position - b.position,
          )
          .map((f) => ({ sectionId: f.sectionId, kind: f.kind, text: f.text })),
        // Only when there are some, so reports of reviews without barriers keep their verification code.
        ...(latest.barriers.length > 0
          ? { barriers: latest.barriers.map((b) => ({ category: b.category, position: b.position, text: b.text })) }
          : {}),
        // The board-report parts, each only when there is some, so older reports keep their verification code.
        ...collectBoardFacts(latest),
      },
      previous: previous ? reviewFacts(previous) : null,
      // Only when there is some, so reports made without it keep their verification code.
      ...(programWork ? { programWork: collectProgramWorkFacts(programWork) } : {}),
    })),
    // The day the action parts describe, which a save of an action alone can move: only when it is later than the
    // report's date (which finalisedAt states), so reports without later records keep their verification code.
    ...(actionsAsOf > reportDate ? { actionsAsOf } : {}),
  };
}

/** The judgement, the recommendations' priorities and owners, the evidence base and the factual check, where set. */
function collectBoardFacts(record: ReviewRecord): Record<string, unknown> {
  const meta = record.findings
    .filter((f) => f.kind === 'recommendation' && (f.priority !== 'medium' || f.owner !== undefined) && f.priority !== undefined)
    .map((f) => ({ sectionId: f.sectionId, position: f.position, priority: f.priority ?? 'medium', owner: f.owner ?? null }))
    .sort((a, b) => (a.sectionId < b.sectionId ? -1 : a.sectionId > b.sectionId ? 1 : a.position - b.position));
  const check = record.factualCheck;
  return {
    ...(record.judgement ? { judgement: record.judgement.text } : {}),
    ...(meta.length > 0 ? { recommendationMeta: meta } : {}),
    ...(record.evidenceBase
      ? { evidenceBase: { ...record.evidenceBase, version: undefined, caseFileAccess: record.evidenceBase.caseFileAccess ?? null } }
      : {}),
    ...(check
      ? { factualCheck: { sentAt: check.sentAt, corrections: check.corrections, response: check.response, changes: check.changes } }
      : {}),
  };
}

export function computeDataHash(data: ReportData): string {
  return createHash('sha256')
    .update(canonicalStringify(collectFacts(data)))
    .digest('hex');
}

/** "3F9A-1C2B-77DE": short enough to read aloud or compare at a glance. */
export function formatVerificationCode(hash: string): string {
  const head = hash.slice(0, 12).toUpperCase();
  return `${head.slice(0, 4)}-${head.slice(4, 8)}-${head.slice(8, 12)}`;
}
