// The names a screen reader gives a page's form controls, computed from the HTML the app sends (no browser): what a
// person hears when moving from field to field, or reading the list of form controls.

export type NamedControl = {
  /** input type (radio, checkbox, text…), or the tag for textarea, select and button. */
  readonly kind: string;
  /** Where the control starts in the page's HTML. */
  readonly at: number;
  /** The control's own name: aria-labelledby, aria-label, <label for>, the label around it, or a button's text. */
  readonly ownName: string;
  /** A radio's or checkbox's group: its fieldset's legend. */
  readonly groupName: string | undefined;
  /** What tells the control apart from its like: the group's name for radios and checkboxes, else its own name. */
  readonly name: string;
};

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** An HTML fragment's text as it is read out: tags dropped, entities decoded, white space collapsed. */
export function textOfHtml(fragment: string): string {
  return fragment
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, entity: string) => {
      if (entity.startsWith('#x') || entity.startsWith('#X')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
      if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
      return ENTITIES[entity] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

function attributesOf(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of tag.matchAll(/\s([\w:-]+)(?:="([^"]*)")?/g)) attributes.set(match[1] ?? '', match[2] ?? '');
  return attributes;
}

/** The text inside the element that opens at `start` (a tag of `tagName`), up to its closing tag. Not for nested ones of the same tag. */
function innerTextAt(html: string, start: number, tagName: string): string {
  const open = html.indexOf('>', start) + 1;
  const close = html.indexOf(`</${tagName}>`, open);
  return close < 0 ? '' : textOfHtml(html.slice(open, close));
}

function textOfId(html: string, id: string): string {
  const match = new RegExp(`<(\\w+)\\b[^>]*\\sid="${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`).exec(html);
  return match ? innerTextAt(html, match.index, match[1] ?? '') : '';
}

/** The start of the innermost `tagName` element still open at `at`, if any (elements of that tag not nested). */
function openAt(html: string, at: number, tagName: string): number | undefined {
  const start = html.lastIndexOf(`<${tagName}`, at);
  return start >= 0 && start > html.lastIndexOf(`</${tagName}>`, at) ? start : undefined;
}

function ownNameOf(html: string, at: number, kind: string, attributes: ReadonlyMap<string, string>): string {
  const labelledBy = attributes.get('aria-labelledby');
  if (labelledBy)
    return labelledBy
      .split(/\s+/)
      .map((id) => textOfId(html, id))
      .join(' ');
  const ariaLabel = attributes.get('aria-label');
  if (ariaLabel) return ariaLabel.trim();
  const id = attributes.get('id');
  const labelFor = id ? html.indexOf(`<label for="${id}"`) : -1;
  if (labelFor >= 0) return innerTextAt(html, labelFor, 'label');
  const wrapping = openAt(html, at, 'label');
  if (wrapping !== undefined) return innerTextAt(html, wrapping, 'label');
  return kind === 'button' ? innerTextAt(html, at, 'button') : '';
}

/** Every control a person can reach: inputs (not hidden ones), selects, textareas and buttons, in page order. */
export function listNamedControls(html: string): NamedControl[] {
  return [...html.matchAll(/<(input|select|textarea|button)\b[^>]*>/g)].flatMap((match) => {
    const attributes = attributesOf(match[0]);
    const tag = match[1] ?? '';
    const kind = tag === 'input' ? (attributes.get('type') ?? 'text') : tag;
    if (kind === 'hidden' || attributes.has('hidden')) return [];
    const at = match.index;
    const ownName = ownNameOf(html, at, tag, attributes);
    const fieldset = kind === 'radio' || kind === 'checkbox' ? openAt(html, at, 'fieldset') : undefined;
    const legend = fieldset === undefined ? undefined : /<legend\b[^>]*>([\s\S]*?)<\/legend>/.exec(html.slice(fieldset, at));
    const groupName = legend ? textOfHtml(legend[1] ?? '') : undefined;
    return [{ kind, at, ownName, groupName, name: groupName ?? ownName }];
  });
}
