// The draft report as the factual check keeps it (DraftReports in src/reviews/report-workflow.ts): what the draft
// states as a fingerprint, and the draft rendered in both languages when the coordinator sends it, so that the
// program reads the pages its corrections point at however the review goes on.
import type { Locale } from '../i18n/locale.js';
import type { DraftReports, FactualCheck } from '../reviews/report-workflow.js';
import type { ReviewStore } from '../reviews/review-store.js';
import { gatherDraftReportData } from './draft-report-data.js';
import type { ReportData, ReportStores } from './report-data.js';
import { computeDataHash } from './report-facts.js';
import { RendererBusyError, type ReportRenderer } from './report-renderer.js';

/** The draft's data with the review's factual check replaced: the check is about the draft, not part of what it states. */
function withFactualCheck(data: ReportData, factualCheck: FactualCheck | undefined): ReportData {
  return { ...data, programs: data.programs.map((program) => ({ ...program, latest: { ...program.latest, factualCheck } })) };
}

export function createDraftReports({
  stores,
  renderer,
}: {
  readonly stores: ReportStores & { readonly reviews: ReviewStore };
  readonly renderer: ReportRenderer;
}): DraftReports {
  const fingerprintOf = (data: ReportData) => computeDataHash(withFactualCheck(data, undefined));
  return {
    fingerprint: (reviewId) => {
      const data = gatherDraftReportData(stores, reviewId);
      return data ? fingerprintOf(data) : undefined;
    },
    render: async (reviewId, sentAt) => {
      const data = gatherDraftReportData(stores, reviewId);
      if (!data) return undefined;
      const check = data.programs[0]?.latest.factualCheck;
      // The draft says when it was sent: this sending's day, with whatever the program answered to an earlier one.
      const sent = withFactualCheck(data, {
        corrections: '',
        response: '',
        responseVersion: 0,
        respondedAt: undefined,
        changes: '',
        changesVersion: 0,
        changesAt: undefined,
        sendVersion: 0,
        ...check,
        sentAt,
      });
      const renderIn = async (locale: Locale) => (await renderer.render({ data: sent, locale })).pdf;
      let sv: Uint8Array;
      let en: Uint8Array;
      try {
        [sv, en] = await Promise.all([renderIn('sv'), renderIn('en')]);
      } catch (error) {
        if (error instanceof RendererBusyError) return 'busy';
        throw error;
      }
      return { fingerprint: fingerprintOf(data), pdfs: { sv, en } };
    },
  };
}
