"""The WSGI entry point. `zhibu serve` has gunicorn load it once, before forking its workers (--preload), and
`warm()` reads here what every worker would otherwise read on its first requests: the URLs with every view,
form, selector and service they import, and every template compiled into the cached loader. The workers share
it copy-on-write, and no person waits a second for a cold worker."""

import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhibu.settings")
application = get_wsgi_application()


def warm() -> int:
    """Import every view and compile every template of zhibu's apps; returns how many templates. Touches no
    database (and closes any connection, so none is shared across the fork)."""
    from django.apps import apps
    from django.db import connections
    from django.template import engines
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every app's URLs and views
    engine = engines["django"]
    count = 0
    for config in apps.get_app_configs():
        folder = Path(config.path, "templates")
        if not config.name.startswith("zhibu.") or not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.html")):
            engine.get_template(path.relative_to(folder).as_posix())
            count += 1
    connections.close_all()
    return count


if os.environ.get("ZHIBU_WARM", "true").lower() not in ("0", "false", "no"):
    warm()
