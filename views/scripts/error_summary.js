// After a failed submit, focus goes to the error summary (views/partials/error_summary.mustache)
// so that a screen reader reads it first. The summary carries autofocus, which works without
// this script; this covers browsers that honour autofocus on form controls only.
(() => {
  'use strict';
  document.addEventListener('DOMContentLoaded', () => {
    const summary = document.querySelector('[data-error-summary]');
    if (summary && (!document.activeElement || document.activeElement === document.body)) {
      summary.focus();
    }
  });
})();
