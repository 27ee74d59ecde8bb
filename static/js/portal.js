// Portal SENAE: small progressive enhancements; every page works without JavaScript.
document.addEventListener("submit", (evento) => {
  const boton = evento.submitter;
  const pregunta = boton && boton.dataset.confirmar;
  if (pregunta && !window.confirm(pregunta)) evento.preventDefault();
});
