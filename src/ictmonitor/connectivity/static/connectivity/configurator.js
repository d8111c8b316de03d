/* htmx settings for the configurator, read before htmx starts (both scripts are deferred): no
   inline <style> for request indicators and nothing evaluated, as the site's CSP requires. The
   page works without any script: its Calculate button does what htmx does on each change. */
(function () {
  "use strict";
  if (!window.htmx) {
    return;
  }
  window.htmx.config.includeIndicatorStyles = false;
  window.htmx.config.allowEval = false;
  window.htmx.config.allowScriptTags = false;
  window.htmx.config.historyEnabled = false;
})();
