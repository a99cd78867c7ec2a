/* kgwiki: apply the reader's chosen theme before the page paints (loaded in <head>). */
(function () {
  "use strict";
  try {
    var theme = window.localStorage.getItem("kgwiki-theme");
    if (theme === "dark" || theme === "light") {
      document.documentElement.setAttribute("data-theme", theme);
    }
  } catch (err) {
    /* storage may be unavailable (private mode, file:// policies): keep the system theme */
  }
})();
