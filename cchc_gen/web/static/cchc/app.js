/* Báo cáo CCHC: the little the form does in the browser — add, move and remove blocks of the narrative,
   autosave the draft every minute, warn before leaving unsaved changes. Without this script the form still
   shows and saves; only adding and moving blocks needs it. */
(function () {
  "use strict";
  document.documentElement.classList.remove("no-js");

  var AUTOSAVE_MS = 60000;
  var form = document.getElementById("report-form");
  var dirty = false;

  function ownFields(block) {
    return Array.prototype.filter.call(block.querySelectorAll("[data-field]"), function (el) {
      return el.closest("[data-block]") === block;
    });
  }

  function innerContainer(block) {
    return Array.prototype.find.call(block.querySelectorAll("[data-children]"), function (el) {
      return el.closest("[data-block]") === block;
    });
  }

  /* Name every field of the narrative by its place in the tree, in document order: b.<path>.<field>. */
  function renumber() {
    var root = document.querySelector("[data-root]");
    if (!root) { return; }
    (function walk(container, prefix) {
      var index = 0;
      Array.prototype.forEach.call(container.children, function (block) {
        if (!block.matches("[data-block]")) { return; }
        var path = prefix === "" ? String(index) : prefix + "." + index;
        index += 1;
        ownFields(block).forEach(function (field) { field.name = "b." + path + "." + field.dataset.field; });
        var inner = innerContainer(block);
        if (inner) { walk(inner, path); }
      });
    })(root, "");
  }

  function sibling(block, step) {
    var node = step < 0 ? block.previousElementSibling : block.nextElementSibling;
    while (node && !node.matches("[data-block]")) {
      node = step < 0 ? node.previousElementSibling : node.nextElementSibling;
    }
    return node;
  }

  function changed() {
    dirty = true;
    renumber();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-op], button[data-add], [data-back]");
    if (!button) { return; }
    if (button.matches("[data-back]")) {
      event.preventDefault();
      history.back();
      return;
    }
    var block = button.closest("[data-block]");
    var op = button.dataset.op;
    if (op === "up" || op === "down") {
      var other = sibling(block, op === "up" ? -1 : 1);
      if (other) {
        block.parentNode.insertBefore(block, op === "up" ? other : other.nextSibling);
        changed();
        button.focus();
      }
      return;
    }
    if (op === "remove") {
      if (window.confirm("Xóa khối này và mọi nội dung bên trong? (Trước khi bấm Lưu vẫn có thể tải lại trang để lấy lại.)")) {
        block.remove();
        changed();
      }
      return;
    }
    var template = document.getElementById("tpl-" + button.dataset.add);
    if (!template) { return; }
    var made = template.content.querySelector("[data-block]").cloneNode(true);
    var container = button.hasAttribute("data-root-add")
      ? document.querySelector("[data-root]")
      : innerContainer(button.closest("[data-block]"));
    if (button.dataset.title) {
      made.querySelector("[data-field=heading]").value = button.dataset.title;
      made.querySelector("[data-field=key]").value = button.dataset.key || "";
      button.remove();
    }
    container.appendChild(made);
    changed();
    var first = made.querySelector("textarea, input:not([type=hidden])");
    if (first) { first.focus(); }
  });

  if (!form) { return; }

  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () {
    renumber();
    dirty = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && form.dataset.autosave) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  Array.prototype.forEach.call(document.querySelectorAll(".submit-report"), function (button) {
    button.addEventListener("click", function (event) {
      if (dirty && !window.confirm("Bạn có thay đổi chưa lưu. Nộp phiên bản đã lưu (không gồm thay đổi đang sửa)?")) {
        event.preventDefault();
      }
    });
  });

  var url = form.dataset.autosave;
  var status = document.querySelector("[data-autosave-status]");

  /* Keep what the form holds as the clerk's draft (not a revision). */
  function autosave() {
    if (!url) { return Promise.resolve(false); }
    renumber();
    var data = new FormData(form);
    Array.from(data.keys()).forEach(function (key) {
      if (data.get(key) instanceof File) { data.delete(key); }
    });
    return fetch(url, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (reply) {
        if (reply.ok) {
          dirty = false;
          if (status) { status.textContent = "Đã tự lưu bản nháp lúc " + reply.time; }
        } else if (status) {
          status.textContent = "Chưa tự lưu được: " + reply.message;
        }
        return reply.ok;
      })
      .catch(function () {
        if (status) { status.textContent = "Chưa tự lưu được (mất kết nối); sẽ thử lại."; }
        return false;
      });
  }
  window.cchcAutosave = autosave;
  if (url) {
    window.setInterval(function () { if (dirty) { autosave(); } }, AUTOSAVE_MS);
  }
})();
