// Cut a claim from a selection in the statement's text: a button opens the
// new-claim form with the quote and its offsets filled in. Without this script
// the "New claim" link opens the same form, and the quote is pasted by hand.
// Quotes in the text are marks, not links: a drag or a double-click selects words anywhere in it.
(function () {
  "use strict";
  var text = document.getElementById("statement-text");
  var link = document.getElementById("new-claim-link");
  if (!text || !link || !window.getSelection) {
    return;
  }
  // Long selections go by offsets only (the server reads the words from the text): URLs have limits.
  var LONGEST_QUOTE_IN_URL = 1500;

  var hint = document.getElementById("cut-hint");
  if (hint) {
    hint.hidden = false;
  }
  var bar = document.createElement("div");
  bar.className = "cut-bar";
  bar.hidden = true;
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = "New claim from selection";
  bar.appendChild(button);
  text.parentNode.insertBefore(bar, text.nextSibling);

  // Offsets are counted in code points, as the server counts them (JavaScript strings count UTF-16 units).
  function codePoints(s) {
    return Array.from(s).length;
  }

  // The text from the start of the element to a boundary point: a Range's string is its text nodes' data,
  // the pieces (plain text and marked quotes) joined back into the stored text. The links after quotes
  // hold no text (their numbers are drawn by the stylesheet), so they add nothing.
  function offsetOf(node, offset) {
    var before = document.createRange();
    before.selectNodeContents(text);
    before.setEnd(node, offset);
    return codePoints(before.toString());
  }

  // The part of the selection inside the text (a drag may run past either end of it), if it holds words.
  function selectedRange() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return null;
    }
    var range = selection.getRangeAt(0).cloneRange();
    if (!range.intersectsNode(text)) {
      return null;
    }
    var whole = document.createRange();
    whole.selectNodeContents(text);
    if (range.compareBoundaryPoints(Range.START_TO_START, whole) < 0) {
      range.setStart(whole.startContainer, whole.startOffset);
    }
    if (range.compareBoundaryPoints(Range.END_TO_END, whole) > 0) {
      range.setEnd(whole.endContainer, whole.endOffset);
    }
    return /\S/.test(range.toString()) ? range : null;
  }

  function currentCut() {
    var range = selectedRange();
    if (range === null) {
      return null;
    }
    var quote = range.toString();
    var lead = quote.length - quote.replace(/^\s+/, "").length;
    var trail = quote.length - quote.replace(/\s+$/, "").length;
    var words = quote.slice(lead, quote.length - trail);
    var start = offsetOf(range.startContainer, range.startOffset) + codePoints(quote.slice(0, lead));
    return {quote: words, start: start, end: start + codePoints(words)};
  }

  // Pressing the button must not clear the selection it acts on.
  button.addEventListener("mousedown", function (event) {
    event.preventDefault();
  });
  button.addEventListener("click", function () {
    var cut = currentCut();
    if (cut === null) {
      bar.hidden = true;
      return;
    }
    var query = new URLSearchParams();
    // An address holds no control character (the server refuses one): a quote across lines goes by its offsets alone.
    if (cut.quote.length <= LONGEST_QUOTE_IN_URL && !/[\u0000-\u001f\u007f]/.test(cut.quote)) {
      query.set("quote", cut.quote);
    }
    query.set("start", String(cut.start));
    query.set("end", String(cut.end));
    window.location.assign(link.href + "?" + query.toString());
  });
  document.addEventListener("selectionchange", function () {
    bar.hidden = selectedRange() === null;
  });
})();
