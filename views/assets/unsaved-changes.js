// Asks before leaving a form page with unsaved changes (forms marked data-warn-unsaved). A form's own submit buttons
// never ask for that form: they save it. On a page of several forms, saving one still asks when another holds changes,
// since the page that comes back after the save does not have them. A form that came back refused or in conflict
// (marked data-unsaved) holds what was typed and not saved, so leaving it asks before anything more is typed. Without
// JavaScript the section links of a rating page still save, being submit buttons.
(() => {
  const forms = document.querySelectorAll('form[data-warn-unsaved]');
  if (forms.length === 0) return;
  const changed = new Set([...forms].filter((form) => form.hasAttribute('data-unsaved')));
  let submitted;
  for (const form of forms) {
    const mark = () => changed.add(form);
    form.addEventListener('input', mark);
    form.addEventListener('change', mark);
    form.addEventListener('submit', () => {
      submitted = form;
    });
  }
  // Back from the browser's cache (bfcache): the page is as it was left, so the flags start over with it.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) submitted = undefined;
  });
  window.addEventListener('beforeunload', (event) => {
    const unsaved = [...changed].some((form) => form !== submitted);
    if (!unsaved) return;
    event.preventDefault();
    // Older browsers need a value here; every current one shows its own wording.
    event.returnValue = '';
  });
})();
