// Live dry run of an anexo compensatorio: after each change the form is posted to the simulation URL and the
// returned fragment replaces the "Simulación del descargo" panel. The server validates again on submit.
(() => {
  const form = document.getElementById("form-anexo");
  const panel = document.getElementById("simulacion");
  if (!form || !panel) return;
  let espera = null;
  let peticion = 0;
  const simular = () => {
    const numero = ++peticion;
    const datos = new FormData(form);
    datos.delete("adjuntos");
    fetch(form.dataset.simular, { method: "POST", body: datos, headers: { "X-Requested-With": "fetch" } })
      .then((r) => (r.ok ? r.text() : Promise.reject(r.status)))
      .then((html) => { if (numero === peticion) panel.innerHTML = html; })
      .catch(() => { if (numero === peticion) panel.innerHTML = "<p>No se pudo simular ahora; el portal validará al registrar.</p>"; });
  };
  const programar = () => { clearTimeout(espera); espera = setTimeout(simular, 350); };
  form.addEventListener("input", programar);
  form.addEventListener("change", programar);
  simular();
})();
