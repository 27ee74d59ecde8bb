// Consultation form: show the documents the chosen reason needs, and suggest similar answered consultations
// while the user types (a GET to /mesa/sugerencias/ returning an HTML fragment; no external library).
(function () {
  "use strict";
  var motivo = document.getElementById("id_motivo");
  var ayudas = document.querySelectorAll("#documentos-motivo [data-motivo]");
  function mostrarDocumentos() {
    ayudas.forEach(function (p) { p.hidden = !motivo || p.getAttribute("data-motivo") !== motivo.value; });
  }
  if (motivo) { motivo.addEventListener("change", mostrarDocumentos); mostrarDocumentos(); }

  var caja = document.getElementById("sugerencias");
  var asunto = document.getElementById("id_asunto");
  var descripcion = document.getElementById("id_descripcion");
  if (!caja || !asunto || !descripcion || !window.fetch) { return; }
  var espera = null, ultimo = "", controlador = null;
  function buscar() {
    var texto = asunto.value + " " + descripcion.value;
    if (texto === ultimo) { return; }
    ultimo = texto;
    if (controlador) { controlador.abort(); }
    controlador = new AbortController();
    var url = caja.getAttribute("data-url") + "?" + new URLSearchParams({ asunto: asunto.value, descripcion: descripcion.value.slice(0, 800) });
    fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin", signal: controlador.signal })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) { caja.innerHTML = html; })
      .catch(function () {});
  }
  function programar() { clearTimeout(espera); espera = setTimeout(buscar, 400); }
  asunto.addEventListener("input", programar);
  descripcion.addEventListener("input", programar);
})();
