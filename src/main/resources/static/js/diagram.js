// Draws each process diagram of the page (fragments/diagram.html) and marks where it stands (current activities,
// incidents).
(function () {
  if (!window.BpmnJS) { return; }
  document.querySelectorAll('.diagram[data-xml-url]').forEach(function (el) {
    var viewer = new window.BpmnJS({ container: el });
    fetch(el.dataset.xmlUrl, { credentials: 'same-origin' })
      .then(function (r) { return r.text(); })
      .then(function (xml) { return viewer.importXML(xml); })
      .then(function () {
        var canvas = viewer.get('canvas');
        canvas.zoom('fit-viewport');
        (el.dataset.active || '').split(',').filter(Boolean).forEach(function (id) {
          canvas.addMarker(id, 'mf-active');
        });
        (el.dataset.incidents || '').split(',').filter(Boolean).forEach(function (id) {
          canvas.addMarker(id, 'mf-incident');
        });
      })
      .catch(function (err) { el.textContent = 'Diagram could not be drawn: ' + err; });
  });
})();
