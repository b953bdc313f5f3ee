// File fields (templates/_file_field.html): shows the chosen file's name beside the “选择文件” button
// drawn over the transparent native input (loaded with defer; CSP allows scripts from 'self' only).
(function () {
  "use strict";

  function show(input) {
    var name = input.closest(".file-field").querySelector("[data-file-name]");
    if (name && input.files && input.files.length) name.textContent = input.files[0].name;
  }

  document.querySelectorAll(".file-field input[type=file]").forEach(function (input) {
    input.addEventListener("change", function () {
      show(input);
    });
    show(input); // a file the browser kept after Back
  });
})();
