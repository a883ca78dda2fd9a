import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# A worker's first page should cost what the next one does: modules, URLs and templates are
# loaded now (kinerja.core.warmup); KINERJA_WARM_UP=0 skips it.
if os.environ.get("KINERJA_WARM_UP", "1") != "0":
    from kinerja.core.warmup import warm_up

    warm_up()
