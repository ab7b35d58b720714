// Asks before leaving a form page with unsaved changes (a form marked data-warn-unsaved). The form's own submit
// buttons never ask: they save. Without JavaScript the section links still save, being submit buttons of the form.
(() => {
  const forms = document.querySelectorAll('form[data-warn-unsaved]');
  if (forms.length === 0) return;
  let changed = false;
  let submitting = false;
  for (const form of forms) {
    form.addEventListener('input', () => {
      changed = true;
    });
    form.addEventListener('change', () => {
      changed = true;
    });
    form.addEventListener('submit', () => {
      submitting = true;
    });
  }
  // Back from the browser's cache (bfcache): the page is as it was left, so the flags start over with it.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) submitting = false;
  });
  window.addEventListener('beforeunload', (event) => {
    if (!changed || submitting) return;
    event.preventDefault();
    // Older browsers need a value here; every current one shows its own wording.
    event.returnValue = '';
  });
})();
