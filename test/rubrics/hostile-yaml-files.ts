// Rubric files built to exhaust a YAML parser, shared by hostile-yaml.test.ts (the loader, in process) and
// hostile-yaml-cli.test.ts (npm run rubric:check and the server, as processes).

// The files below are built so that, were they not refused, expanding them would take far more than 2 s or all the
// memory there is: the tests only check that they are refused, in one line, with exit code 1.

/** The billion laughs: 12 levels of 10 aliases each, 10^12 strings once expanded, in under 1 KB. */
export function billionLaughs(): string {
  let text = 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let level = 1; level <= 12; level++) {
    text += `a${level}: &a${level} [${Array.from({ length: 10 }, () => `*a${level - 1}`).join(', ')}]\n`;
  }
  return text;
}

/**
 * Merge keys (YAML 1.1): each level holds two mappings that merge the level below, and yaml converts a merge source
 * anew at every merge, so 40 levels cost 2^40 conversions.
 */
export function mergeKeyBomb(): string {
  let text = '%YAML 1.1\n---\nm0: &m0 {a: lol, b: lol}\n';
  for (let level = 1; level <= 40; level++) {
    text += `m${level}: &m${level} {a: {<<: *m${level - 1}}, b: {<<: *m${level - 1}}}\n`;
  }
  return text;
}

/** A merge key that merges a sequence of the level below, in a rubric-shaped file. */
export function mergeSequenceBomb(): string {
  let text = '%YAML 1.1\n---\nid: merges\nx0: &x0 {k0: lol, k1: lol, k2: lol}\n';
  for (let level = 1; level <= 40; level++) {
    text += `x${level}: &x${level} {<<: [*x${level - 1}, *x${level - 1}, *x${level - 1}], l${level}: [*x${level - 1}, *x${level - 1}]}\n`;
  }
  return text;
}

/**
 * 110,000 aliases of 300 anchors in under 1 MB: each anchor is used fewer times than yaml's own alias limit allows,
 * but yaml finds each alias's anchor by scanning the document, which is quadratic (minutes of CPU).
 */
export function aliasFlood(): string {
  let text = '';
  for (let i = 0; i < 300; i++) text += `a${i}: &a${i} lol\n`;
  text += 'list:\n';
  for (let i = 0; i < 110_000; i++) text += ` - *a${i % 300}\n`;
  return text;
}
