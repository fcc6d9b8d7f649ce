// Typeset the math of every page with the KaTeX shipped in assets/katex/.
// pymdownx.arithmatex (generic mode) wraps inline math as
// <span class="arithmatex">\(...\)</span> and display math as
// <div class="arithmatex">\[...\]</div>; each is rendered in place.
// document$ is Material's page-load stream (it also fires on instant loads).
document$.subscribe(function () {
  document.querySelectorAll(".arithmatex").forEach(function (el) {
    var display = el.tagName === "DIV";
    var tex = el.textContent.trim()
      .replace(/^\\[(\[]/, "")
      .replace(/\\[)\]]$/, "");
    katex.render(tex, el, { displayMode: display, throwOnError: false });
  });
});
