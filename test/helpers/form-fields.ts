// A server-rendered form read as a browser would submit it: its action, and the value of each control that counts
// (hidden and text inputs, checked radios and checkboxes, textareas, each select's chosen option; never a button).
// Tests then change what a person would change and post the rest as shown, so a form's hidden versions, fingerprints
// and untouched fields go through the same path as in a browser. It reads our own views' HTML (attributes in double
// quotes, one element per tag), not arbitrary HTML.

export type FormFields = Record<string, string | string[]>;

const decode = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&');

const attribute = (tag: string, name: string): string | undefined => {
  const found = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return found ? decode(found[1] ?? '') : undefined;
};
const hasAttribute = (tag: string, name: string) => new RegExp(`\\s${name}(\\s|>|=)`).test(tag);

function add(fields: FormFields, name: string, value: string): void {
  const before = fields[name];
  fields[name] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
}

/** The form with this id (or, without one, the page's first form): its action and its fields as they would be posted. */
export function readForm(html: string, formId?: string): { action: string; fields: FormFields } {
  const start = formId === undefined ? html.indexOf('<form') : html.search(new RegExp(`<form[^>]*\\sid="${formId}"`));
  if (start < 0) throw new Error(formId === undefined ? 'the page has no form' : `the page has no form #${formId}`);
  const end = html.indexOf('</form>', start);
  const body = html.slice(start, end < 0 ? undefined : end);
  const action = attribute(/^<form[^>]*>/.exec(body)?.[0] ?? '', 'action') ?? '';
  const fields: FormFields = {};
  const controls = /<input\b[^>]*>|<textarea\b[^>]*>([\s\S]*?)<\/textarea>|<select\b[^>]*>([\s\S]*?)<\/select>/g;
  for (const match of body.matchAll(controls)) {
    const tag = /^<[^>]*>/.exec(match[0])?.[0] ?? '';
    const name = attribute(tag, 'name');
    if (name === undefined || hasAttribute(tag, 'disabled')) continue;
    if (tag.startsWith('<textarea')) {
      add(fields, name, decode(match[1] ?? '').replace(/^\n/, ''));
    } else if (tag.startsWith('<select')) {
      const options = [...(match[2] ?? '').matchAll(/<option\b[^>]*>/g)].map((option) => option[0]);
      const chosen = options.find((option) => hasAttribute(option, 'selected')) ?? options[0];
      if (chosen) add(fields, name, attribute(chosen, 'value') ?? '');
    } else {
      const type = attribute(tag, 'type') ?? 'text';
      if ((type === 'radio' || type === 'checkbox') && !hasAttribute(tag, 'checked')) continue;
      if (type === 'submit' || type === 'button' || type === 'file') continue;
      add(fields, name, attribute(tag, 'value') ?? (type === 'checkbox' || type === 'radio' ? 'on' : ''));
    }
  }
  return { action, fields };
}
