// The layout's skip link on a consensus section page (views/layouts/main.ejs): past the header straight to the work,
// the first indicator on the page without a consensus (the page's order, most disagreement first), else its first.
import type { Translate } from '../i18n/messages.js';

export type SkipLink = { readonly href: string; readonly label: string };

/** The skip link for the indicators a section page shows; undefined (the layout's own, to #main) when it shows none. */
export function findConsensusSkipLink(
  items: readonly { readonly indicator: { readonly id: string }; readonly consensus: unknown }[],
  t: Translate,
): SkipLink | undefined {
  const undecided = items.find((item) => item.consensus === undefined);
  const target = undecided ?? items[0];
  if (!target) return undefined;
  // The heading, which has tabindex="-1": the link moves focus there, and the next Tab reaches its first score.
  return {
    href: `#h-${target.indicator.id}`,
    label: t(undecided ? 'reviews.consensus.skipToFirstUndecided' : 'reviews.rate.skipToFirst'),
  };
}
