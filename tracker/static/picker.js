// Claim pickers narrow as you type: the list keeps the claims whose summary, speaker, statement or date hold
// every word typed (and the claim chosen). Without this script the Find button asks the server, which also
// looks in quotes and slugs; with it, the button (and Enter in the box) still does.
(function () {
  "use strict";

  // Case, accents, curly quotes and dashes set aside, as the server compares.
  function folded(text) {
    return text.toLocaleLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[\u2018\u2019\u201b\u2032]/g, "'").replace(/[\u201c\u201d\u201f\u2033]/g, "\"")
      .replace(/[\u2010-\u2015\u2212]/g, "-");
  }

  function enhance(box) {
    var select = document.getElementById(box.getAttribute("data-picker"));
    var note = document.getElementById(box.getAttribute("aria-describedby"));
    if (!select || !note) {
      return;
    }
    var groups = Array.prototype.slice.call(select.querySelectorAll("optgroup"));
    // Every option the page holds, the group it sits in, and the words it is found by.
    var entries = [];
    groups.forEach(function (group) {
      Array.prototype.forEach.call(group.querySelectorAll("option"), function (option) {
        entries.push({option: option, group: group, words: folded(option.textContent + " " + group.label)});
      });
    });

    function narrow() {
      var typed = box.value.trim();
      var wanted = folded(typed).split(/\s+/).filter(Boolean);
      var chosen = select.value;
      var matching = 0;
      groups.forEach(function (group) {
        if (group.parentNode) {
          select.removeChild(group);
        }
        while (group.firstChild) {
          group.removeChild(group.firstChild);
        }
      });
      entries.forEach(function (entry) {
        var matches = wanted.every(function (word) { return entry.words.indexOf(word) >= 0; });
        if (matches || entry.option.value === chosen) {
          entry.group.appendChild(entry.option);  // the claim chosen stays listed
          matching += matches ? 1 : 0;
        }
      });
      groups.forEach(function (group) {
        if (group.firstChild) {
          select.appendChild(group);
        }
      });
      select.value = chosen;
      if (!wanted.length) {
        note.textContent = "";
      } else if (matching === 0) {
        note.textContent = "No claim listed here matches “" + typed + "”. Press Find to look in every claim, quotes too.";
      } else {
        note.textContent = matching + " of " + entries.length + " claims listed here match “" + typed + "”.";
      }
    }

    box.addEventListener("input", narrow);
    saveOnEnter(box.form, box);
  }

  // Enter in the form's other boxes saves, as in any form. Without this script it presses Find, the form's
  // first button, which saves nothing and keeps what was typed: surprising, but nothing is lost.
  function saveOnEnter(form, findBox) {
    var buttons = form ? form.querySelectorAll('button[type="submit"]:not([name="action"])') : [];
    var save = buttons[buttons.length - 1];
    if (!save || form.dataset.saveOnEnter) {
      return;
    }
    form.dataset.saveOnEnter = "yes";
    form.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.key === "Enter" && target !== findBox && target.tagName === "INPUT" && target.type !== "submit") {
        event.preventDefault();
        form.requestSubmit(save);
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-picker]"), enhance);
})();
