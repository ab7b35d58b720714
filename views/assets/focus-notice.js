// After a save the page comes back with its notice ("Sparat …", a role="status" paragraph, where the save's redirect
// lands or at the top): focus moves to it, so a screen reader reads it. A notice that is in the page from the start is
// not announced by its live region, and the redirect's #fragment only scrolls. The fragment's own focus (the saved
// indicator's section, which has tabindex="-1", so a page without JavaScript still lands on it) comes before the load
// event, so this waits for that event and then moves on from it. A page with an error summary or a refused form's
// notice leaves focus where autofocus put it.
(() => {
  const focusNotice = () => {
    if (document.querySelector('main .error-summary, main [role="alert"]')) return;
    const notice = document.querySelector('main .flash[role="status"]');
    if (!notice) return;
    if (!notice.hasAttribute('tabindex')) notice.setAttribute('tabindex', '-1');
    notice.focus();
  };
  if (document.readyState === 'complete') focusNotice();
  else window.addEventListener('load', focusNotice, { once: true });
})();
