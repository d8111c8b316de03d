/* The simulator's htmx settings, before htmx starts (both scripts are deferred): the site's CSP
   forbids inline styles and eval, so htmx must neither add its indicator <style> nor evaluate
   code. Without JavaScript the form still works through its buttons. */
(function () {
  "use strict";
  if (window.htmx) {
    window.htmx.config.includeIndicatorStyles = false;
    window.htmx.config.allowEval = false;
    window.htmx.config.allowScriptTags = false;
  }
})();
