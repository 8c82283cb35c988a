// Small behaviours that need no framework. No inline scripts (the CSP forbids them).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-check-all]");
  if (!button) return;
  var value = button.getAttribute("data-check-all");
  document.querySelectorAll("input[type=radio][value='" + value + "']").forEach(function (input) {
    input.checked = true;
  });
});
document.addEventListener("change", function (event) {
  var select = event.target.closest("select[data-autosubmit]");
  if (select) select.form.requestSubmit();
});

// Forms that do not lose work -------------------------------------------------------------------------------
// 1. Errors: a summary at the top of the form, the first field with an error focused and scrolled into view.
function summariseErrors(form) {
  var lists = form.querySelectorAll(".errorlist");
  if (!lists.length || form.querySelector(".error-summary")) return;
  var summary = document.createElement("div");
  summary.className = "error-summary";
  summary.setAttribute("role", "alert");
  summary.setAttribute("tabindex", "-1");
  var title = document.createElement("p");
  title.textContent = "有 " + lists.length + " 处需要修改，未保存：";
  summary.appendChild(title);
  var list = document.createElement("ul");
  lists.forEach(function (errors) {
    var box = errors.closest(".field, .attendance-row, fieldset") || errors.parentNode;
    var label = box.querySelector("label, legend, .who");
    errors.querySelectorAll("li").forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = (label && !errors.classList.contains("nonfield") ? label.textContent.replace("*", "").trim() + "：" : "") + item.textContent;
      list.appendChild(li);
    });
  });
  summary.appendChild(list);
  form.prepend(summary);
  var first = lists[0].closest(".field, .attendance-row, fieldset");
  var input = first && first.querySelector("input:not([type=hidden]), select, textarea");
  (input || summary).focus({preventScroll: true});
  (first || summary).scrollIntoView({block: "center"});
}

// 2. Drafts: a form marked data-draft keeps what was typed in this browser until the server confirms a save,
//    so a session that expired while a long form was open does not lose it. Cleared on logout.
var DRAFT_PREFIX = "zhibu-draft:";
function draftKey(form) { return DRAFT_PREFIX + (form.getAttribute("data-draft") || location.pathname); }
function saveDraft(form) {
  var values = {};
  Array.prototype.forEach.call(form.elements, function (el) {
    if (!el.name || el.type === "file" || el.type === "hidden" || el.type === "submit" || el.type === "password") return;
    if ((el.type === "radio" || el.type === "checkbox")) { if (el.checked) (values[el.name] = values[el.name] || []).push(el.value); return; }
    values[el.name] = el.value;
  });
  try { localStorage.setItem(draftKey(form), JSON.stringify({at: Date.now(), values: values})); } catch (e) { /* storage full or off */ }
}
function restoreDraft(form) {
  var raw = null;
  try { raw = localStorage.getItem(draftKey(form)); } catch (e) { return; }
  if (!raw || form.querySelector(".errorlist")) return;  // a form sent back with errors already holds the input
  var draft = JSON.parse(raw);
  if (Date.now() - draft.at > 7 * 86400000) { localStorage.removeItem(draftKey(form)); return; }
  Array.prototype.forEach.call(form.elements, function (el) {
    if (!(el.name in draft.values) || el.type === "file" || el.type === "hidden") return;
    var value = draft.values[el.name];
    if (el.type === "radio" || el.type === "checkbox") el.checked = value.indexOf(el.value) >= 0;
    else el.value = value;
  });
  var note = document.createElement("p");
  note.className = "msg msg-info draft-note";
  note.textContent = "已恢复上次未保存的内容。";
  form.prepend(note);
}
function clearDraftsOnConfirmedSave() {
  var pending = sessionStorage.getItem("zhibu-draft-submitted");
  if (pending && document.querySelector(".msg-success")) {
    localStorage.removeItem(pending);
    sessionStorage.removeItem("zhibu-draft-submitted");
  }
}

// 3. Attendance: the 请假 reason box shows only when 请假 is chosen.
function showReasons(root) {
  (root || document).querySelectorAll(".attendance-row").forEach(function (row) {
    var reason = row.querySelector("input[name^=reason_]");
    var leave = row.querySelector("input[type=radio][value=leave]");
    if (reason && leave) reason.hidden = !leave.checked && !reason.value;
  });
}

document.addEventListener("DOMContentLoaded", function () {
  clearDraftsOnConfirmedSave();
  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    restoreDraft(form);
    form.addEventListener("input", function () { saveDraft(form); });
    form.addEventListener("change", function () { saveDraft(form); });
    form.addEventListener("submit", function () { saveDraft(form); sessionStorage.setItem("zhibu-draft-submitted", draftKey(form)); });
  });
  document.querySelectorAll("form[method=post], form[method=POST]").forEach(summariseErrors);
  showReasons();
  document.querySelectorAll("form[action$='/logout/']").forEach(function (form) {
    form.addEventListener("submit", function () {
      Object.keys(localStorage).forEach(function (key) { if (key.indexOf(DRAFT_PREFIX) === 0) localStorage.removeItem(key); });
    });
  });
});
document.addEventListener("change", function (event) {
  var row = event.target.closest(".attendance-row");
  if (row) showReasons(row.parentNode);
});
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-check-all]")) showReasons();
});
document.addEventListener("htmx:afterSwap", function (event) { showReasons(event.target); });

// The end time follows the start: moving the start keeps the meeting's length (or the kind's usual length).
function parseLocal(value) {
  var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value || "");
  return m ? new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]) : null;
}
function formatLocal(d) {
  function two(n) { return (n < 10 ? "0" : "") + n; }
  return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) + "T" + two(d.getHours()) + ":" + two(d.getMinutes());
}
document.addEventListener("focusin", function (event) {
  var start = event.target;
  if (start.name !== "starts_at" || !start.form) return;
  var end = start.form.querySelector("input[name=ends_at]");
  var a = parseLocal(start.value), b = end && parseLocal(end.value);
  var minutes = a && b && b > a && (b - a) <= 86400000 ? (b - a) / 60000 : +(end && end.getAttribute("data-default-minutes")) || 60;
  start.setAttribute("data-length", minutes);
});
document.addEventListener("change", function (event) {
  var start = event.target;
  if (start.name !== "starts_at" || !start.form) return;
  var end = start.form.querySelector("input[name=ends_at]");
  var a = parseLocal(start.value);
  if (!end || !a) return;
  var minutes = +(start.getAttribute("data-length") || end.getAttribute("data-default-minutes") || 60);
  end.value = formatLocal(new Date(a.getTime() + minutes * 60000));
});

// A month opened from the board on a phone: bring its explanation into view.
document.addEventListener("htmx:afterSwap", function (event) {
  if (event.target.id === "explain" && window.innerWidth < 640) event.target.scrollIntoView({block: "start"});
});
