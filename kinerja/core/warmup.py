"""Work a fresh worker would otherwise do on its first requests, done at start: every view
module imported (with the libraries they use for PDFs, workbooks and signatures), every URL
pattern compiled, every template of the project parsed into the template engine's cache.

Run by config/wsgi.py when the application loads; under gunicorn with `preload_app`
(config/gunicorn.conf.py) it runs once in the master and every worker starts warm."""

from __future__ import annotations

import time
from pathlib import Path

from django.apps import apps
from django.db import connections
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver


def warm_up() -> dict[str, float]:
    started = time.perf_counter()
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports every view module
    _ = resolver.reverse_dict  # compiles every pattern once
    count = 0
    engine = engines["django"]
    for config in apps.get_app_configs():
        if not config.name.startswith("kinerja."):
            continue
        root = Path(config.path) / "templates"
        for path in sorted(root.rglob("*.html")) + sorted(root.rglob("*.txt")):
            try:
                engine.get_template(str(path.relative_to(root)))
                count += 1
            except (TemplateDoesNotExist, TemplateSyntaxError):
                continue
    # Nothing opened here may be shared by the workers a preloading master forks.
    connections.close_all()
    return {"templates": count, "seconds": round(time.perf_counter() - started, 2)}
