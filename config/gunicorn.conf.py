"""gunicorn settings: `gunicorn -c config/gunicorn.conf.py config.wsgi:application`.

The application (and its warm-up: kinerja.core.warmup) is loaded once in the master and
shared by the workers it forks, so a new worker serves its first page as fast as its next.
Bind address and workers come from the environment (GUNICORN_BIND, GUNICORN_WORKERS) or
the command line."""

import multiprocessing
import os

preload_app = True
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2)))
# Sync workers: each request on its own process; a page is a few milliseconds of work.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
timeout = 60
# Workers are not renewed by default: what a process keeps is bounded (kinerja.core.cache),
# and a renewed worker starts with empty memory (its first pages read the shared cache).
# GUNICORN_MAX_REQUESTS renews each after that many requests, a random spread apart.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
