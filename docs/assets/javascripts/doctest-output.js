// In a doctest block, mark every line that is not a prompt line as output.
// Pygments marks ">>> " and "... " (class "gp") and most output ("go"), but
// not the parts of a traceback.  Wrapping each such line in <span class="go">
// lets extra.css leave all output out of what the copy button copies.
document$.subscribe(function () {
  document.querySelectorAll(".highlight code").forEach(function (code) {
    if (!code.querySelector(".gp") || code.hasAttribute("data-output-marked")) return;
    code.setAttribute("data-output-marked", "");
    var lines = [[]];
    Array.prototype.slice.call(code.childNodes).forEach(function (node) {
      if (node.nodeType !== Node.TEXT_NODE || node.data.indexOf("\n") < 0) {
        lines[lines.length - 1].push(node);
        return;
      }
      node.data.split("\n").forEach(function (part, k) {
        if (k > 0) lines.push([]);
        if (part) lines[lines.length - 1].push(document.createTextNode(part));
      });
    });
    code.textContent = "";
    lines.forEach(function (line, k) {
      if (k > 0) code.appendChild(document.createTextNode("\n"));
      var first = line[0];
      var prompt = first && first.nodeType === Node.ELEMENT_NODE && first.classList.contains("gp");
      var parent = code;
      if (!prompt && line.length) {
        parent = document.createElement("span");
        parent.className = "go";
        code.appendChild(parent);
      }
      line.forEach(function (node) { parent.appendChild(node); });
    });
  });
});
