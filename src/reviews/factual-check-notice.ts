// A draft the program is asked to fact-check, said where its leads look: their start page and the program page, with
// the day to answer by when the coordinator set one, and the link to the check.
import { formatLongDate } from '../i18n/format.js';
import type { Locale } from '../i18n/locale.js';
import type { Translate } from '../i18n/messages.js';
import { isAwaitingResponse } from './report-workflow.js';
import type { ReviewStore } from './review-store.js';

export type FactualCheckNotice = { readonly reviewId: number; readonly href: string; readonly text: string };

/**
 * The program's peer reviews in consensus whose draft has been sent and waits for the program's answer: "Utkast att
 * faktagranska – svara senast 21 december 2026". For the program's leads, who answer (the caller decides who they are).
 */
export function listFactualChecksToAnswer(reviews: ReviewStore, programId: number, t: Translate, locale: Locale): FactualCheckNotice[] {
  return reviews.listReviewsForProgram(programId).flatMap((summary) => {
    if (summary.kind !== 'peer_review' || summary.status !== 'consensus') return [];
    const check = reviews.findFactualCheck(summary.id);
    if (!check || !isAwaitingResponse(check)) return [];
    const text = check.replyBy
      ? t('reviews.factualCheck.awaiting', { date: formatLongDate(check.replyBy, locale) })
      : t('reviews.factualCheck.awaitingNoDate', { date: formatLongDate(check.sentAt, locale) });
    return [{ reviewId: summary.id, href: `/reviews/${summary.id}/factual-check`, text }];
  });
}
