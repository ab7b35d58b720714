// Labels of a closed set of values (statuses, kinds, categories) for a view: the key of each is built here, in
// TypeScript, where tsc checks it against MessageKey, so a view only prints `labels[value]`.
import type { MessageKey, Translate } from './messages.js';

/** One translated label per value: `labelsOf(REVIEW_KINDS, (kind) => `reviews.kind.${kind}`, req.t)`. */
export function labelsOf<V extends string>(
  values: readonly V[],
  keyOf: (value: V) => MessageKey,
  t: Translate,
): Readonly<Record<V, string>> {
  const labels = {} as Record<V, string>;
  for (const value of values) labels[value] = t(keyOf(value));
  return labels;
}
