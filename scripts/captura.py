"""Screenshot a page of a running portal in headless Debian Chromium, optionally signed in.

    .venv/bin/python scripts/captura.py http://127.0.0.1:8000/panel/ /tmp/panel.png --usuario oce
    .venv/bin/python scripts/captura.py http://127.0.0.1:8000/cuenta/ingresar/ /tmp/login.png --ancho 390

For looking at what we build (the README's "look at it as a user would"); tests use the `page` fixture.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urljoin

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from playwright.sync_api import sync_playwright  # noqa: E402

from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

CLAVE_DEMO = "Demo-SENAE-2026"  # noqa: S105 - the published demo password


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("url")
    p.add_argument("salida")
    p.add_argument("--usuario", help="usuario de demostración con el que ingresar antes")
    p.add_argument("--clave", default=CLAVE_DEMO)
    p.add_argument("--ancho", type=int, default=1280)
    p.add_argument("--alto", type=int, default=900)
    args = p.parse_args()
    with sync_playwright() as pw:
        navegador = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        pagina = navegador.new_page(viewport={"width": args.ancho, "height": args.alto}, locale="es-EC")
        if args.usuario:
            pagina.goto(urljoin(args.url, "/cuenta/ingresar/"))
            pagina.fill("input[name=username]", args.usuario)
            pagina.fill("input[name=password]", args.clave)
            pagina.click("button[type=submit]")
            pagina.wait_for_load_state()
        pagina.goto(args.url)
        pagina.screenshot(path=args.salida, full_page=True)
        navegador.close()
    print(args.salida)


if __name__ == "__main__":
    main()
