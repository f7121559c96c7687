// Asks before a form with data-confirm="question" is sent (the console allows no inline onsubmit handlers).
document.addEventListener('submit', function (event) {
  var form = event.target;
  var question = form && form.dataset ? form.dataset.confirm : null;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
