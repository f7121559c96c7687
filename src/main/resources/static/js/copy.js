// A button with data-copy="id-of-an-input" copies that input's text; its label turns to data-copied a moment.
document.addEventListener('click', function (event) {
  var button = event.target.closest ? event.target.closest('button[data-copy]') : null;
  if (!button) { return; }
  var field = document.getElementById(button.dataset.copy);
  if (!field) { return; }
  var done = function () {
    var label = button.textContent;
    button.textContent = button.dataset.copied || label;
    setTimeout(function () { button.textContent = label; }, 1500);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done);
  } else {
    // Plain http (a console on an intranet address): the clipboard API is not offered there.
    field.select();
    if (document.execCommand('copy')) { done(); }
  }
});
