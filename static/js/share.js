// "Copy link" on knowledge pages: shown only where the browser can copy (no third-party script).
(function () {
  "use strict";
  if (!navigator.clipboard) return;
  document.querySelectorAll("[data-copy-url]").forEach(function (button) {
    var status = button.parentNode.querySelector(".share__status");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.copyUrl).then(function () {
        if (status) status.textContent = button.dataset.copiedLabel;
      });
    });
  });
})();
