// Draws each process diagram of the page (fragments/diagram.html) and marks where it has been (the activities it
// passed, and each sequence flow whose both ends it passed) and where it stands (current activities, incidents).
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
        var passed = {};
        (el.dataset.passed || '').split(',').filter(Boolean).forEach(function (id) {
          passed[id] = true;
          canvas.addMarker(id, 'mf-passed');
        });
        viewer.get('elementRegistry').filter(function (e) {
          return e.type === 'bpmn:SequenceFlow';
        }).forEach(function (flow) {
          var bo = flow.businessObject;
          if (passed[bo.sourceRef.id] && passed[bo.targetRef.id]) {
            canvas.addMarker(flow.id, 'mf-passed');
          }
        });
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
