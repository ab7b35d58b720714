// Asks before leaving a form page with unsaved changes (forms marked data-warn-unsaved). A form's own submit buttons
// never ask for that form: they save it. On a page of several forms, saving one still asks when another holds changes,
// since the page that comes back after the save does not have them. A form that came back refused or in conflict
// (marked data-unsaved) holds what was typed and not saved, so leaving it asks before anything more is typed. Without
// JavaScript the section links of a rating page still save, being submit buttons.
//
// The language switch (links marked data-language-switch) keeps the changes instead of asking: they go to the tab's
// sessionStorage under the path of the page the switch leads to and the form's id, and that page, in the other
// language, puts them back into the same form by field name, marks the form unsaved and forgets them. The form's
// hidden fields (the versions the page was served with) go with the draft and are put back too: what was typed was
// typed on that page, so a save after the switch is judged against the versions it was typed on, and a change saved
// meanwhile by someone else is a conflict, never silently overwritten. The CSRF token is never kept or put back, and a
// draft is put back only under the same session (the same token), so a person who logs in at the same tab later never
// gets another's. Without JavaScript the switch is an ordinary link, as before.
(() => {
  const forms = [...document.querySelectorAll('form[data-warn-unsaved]')];
  if (forms.length === 0) return;
  const DRAFT_PREFIX = 'hf-fidelity.draft ';
  // Served refused or in conflict: every value on the form is one not saved, not only those changed here.
  const servedUnsaved = new Set(forms.filter((form) => form.hasAttribute('data-unsaved')));
  const changed = new Set(servedUnsaved);
  // Drafts this page wrote, removed again if the page is used after all (a switch that did not leave).
  const written = new Map();
  let submitted;
  let kept = false;

  const storage = openSessionStorage();
  if (storage) {
    for (const form of forms) restoreDraft(form);
    // Only the page after the switch may use a draft: whatever is left (a switch that led elsewhere) is forgotten.
    forgetDrafts(storage);
  }

  for (const form of forms) {
    const mark = () => {
      changed.add(form);
      // Typed after a switch that did not leave: the kept draft no longer holds everything.
      kept = false;
    };
    form.addEventListener('input', mark);
    form.addEventListener('change', mark);
    form.addEventListener('submit', () => {
      submitted = form;
      if (!storage) return;
      storage.removeItem(draftKey(location.pathname, form));
      for (const key of written.get(form) ?? []) storage.removeItem(key);
    });
  }
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[data-language-switch]') : null;
    // A click that opens another tab or window leaves this page as it is.
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    kept = keepDrafts(link);
  });
  // Back from the browser's cache (bfcache): the page is as it was left, so the flags start over with it.
  window.addEventListener('pageshow', (event) => {
    if (!event.persisted) return;
    submitted = undefined;
    kept = false;
  });
  window.addEventListener('beforeunload', (event) => {
    const unsaved = [...changed].some((form) => form !== submitted);
    if (!unsaved || kept) return;
    event.preventDefault();
    // Older browsers need a value here; every current one shows its own wording.
    event.returnValue = '';
  });

  /** Stores the changed forms' drafts for the page the link leads to; true when every change was kept. */
  function keepDrafts(link) {
    const path = switchTarget(link);
    const pending = [...changed].filter((form) => form !== submitted);
    if (!storage || path === undefined || pending.length === 0) return false;
    try {
      for (const form of pending) {
        const draft = collectDraft(form);
        if (!draft) return false;
        const key = draftKey(path, form);
        storage.setItem(key, JSON.stringify(draft));
        written.set(form, [...(written.get(form) ?? []), key]);
      }
      return true;
    } catch {
      // Storage full or refused: the leave-page question still protects what was typed.
      return false;
    }
  }

  /** The path of the page the switch leads back to (its `next`), the address a refused form's page was posted from. */
  function switchTarget(link) {
    const next = new URL(link.href).searchParams.get('next');
    if (!next?.startsWith('/') || next.startsWith('//')) return undefined;
    return new URL(next, location.origin).pathname;
  }

  /** The fields a person changed (every field of a form served unsaved), by name; undefined if a change cannot be kept. */
  function collectDraft(form) {
    const unkeepable = [...form.elements].some(
      (field) => (field.type === 'password' && field.value !== '') || (field.type === 'file' && field.files.length > 0),
    );
    if (unkeepable) return undefined;
    const fields = keptFields(form);
    const names = new Set(fields.filter((field) => servedUnsaved.has(form) || isChanged(field)).map((field) => field.name));
    const values = {};
    for (const name of names) {
      const named = fields.filter((field) => field.name === name);
      values[name] = named.some(isCheckable)
        ? { checked: named.filter((field) => isCheckable(field) && field.checked).map((field) => field.value) }
        : { values: named.map((field) => field.value) };
    }
    // The versions (and any other hidden field but the token) the typed values rest on.
    const base = {};
    for (const field of baseFields(form)) base[field.name] = [...(base[field.name] ?? []), field.value];
    return { token: sessionToken(form), fields: values, base };
  }

  function restoreDraft(form) {
    const key = draftKey(location.pathname, form);
    const draft = readDraft(storage.getItem(key));
    storage.removeItem(key);
    if (!draft || draft.token !== sessionToken(form)) return;
    const fields = keptFields(form);
    let restored = 0;
    for (const [name, saved] of Object.entries(draft.fields)) {
      const named = fields.filter((field) => field.name === name);
      if (Array.isArray(saved?.checked)) {
        for (const field of named.filter(isCheckable)) {
          const on = saved.checked.includes(field.value);
          // A radio is set by checking its choice; unchecking the others is the browser's part.
          if (field.type === 'checkbox' || on) field.checked = on;
          restored += 1;
        }
      } else if (Array.isArray(saved?.values)) {
        named
          .filter((field) => !isCheckable(field))
          .forEach((field, index) => {
            const value = saved.values[index];
            if (typeof value !== 'string') return;
            if (field.tagName === 'SELECT' && ![...field.options].some((option) => option.value === value)) return;
            field.value = value;
            restored += 1;
          });
      }
    }
    if (restored === 0) return;
    if (typeof draft.base === 'object' && draft.base !== null) {
      for (const [name, values] of Object.entries(draft.base)) {
        if (!Array.isArray(values)) continue;
        baseFields(form)
          .filter((field) => field.name === name)
          .forEach((field, index) => {
            if (typeof values[index] === 'string') field.value = values[index];
          });
      }
    }
    changed.add(form);
    form.setAttribute('data-unsaved', '');
  }

  function readDraft(text) {
    if (text === null) return undefined;
    try {
      const draft = JSON.parse(text);
      return typeof draft?.fields === 'object' && draft.fields !== null ? draft : undefined;
    } catch {
      return undefined;
    }
  }

  function forgetDrafts(store) {
    const keys = [];
    for (let i = 0; i < store.length; i++) keys.push(store.key(i));
    for (const key of keys) if (key?.startsWith(DRAFT_PREFIX)) store.removeItem(key);
  }

  // Attributes, not the form's properties: a field named "id" or "action" would stand in for those.
  function draftKey(path, form) {
    return `${DRAFT_PREFIX}${path} ${form.getAttribute('id') || form.getAttribute('action') || ''}`;
  }

  function sessionToken(form) {
    return form.querySelector('input[type="hidden"][name="_csrf"]')?.value ?? '';
  }

  /** The hidden fields a draft rests on (the versions): every one but the CSRF token. */
  function baseFields(form) {
    return [...form.elements].filter(
      (field) => field.tagName === 'INPUT' && field.type === 'hidden' && field.name && field.name !== '_csrf' && !field.disabled,
    );
  }

  /** What a person types or picks: never hidden fields (the CSRF token, the versions), buttons, files or passwords. */
  function keptFields(form) {
    const skipped = new Set(['hidden', 'submit', 'button', 'reset', 'image', 'file', 'password']);
    return [...form.elements].filter(
      (field) =>
        field.name &&
        !field.disabled &&
        (field.tagName === 'TEXTAREA' || field.tagName === 'SELECT' || (field.tagName === 'INPUT' && !skipped.has(field.type))),
    );
  }

  function isCheckable(field) {
    return field.type === 'checkbox' || field.type === 'radio';
  }

  function isChanged(field) {
    if (isCheckable(field)) return field.checked !== field.defaultChecked;
    if (field.tagName === 'SELECT') return [...field.options].some((option) => option.selected !== option.defaultSelected);
    return field.value !== field.defaultValue;
  }

  function openSessionStorage() {
    try {
      return window.sessionStorage;
    } catch {
      // Storage turned off: the switch asks before leaving, as before.
      return undefined;
    }
  }
})();
