"""Settings for generating the load benchmark's articles (bench/load.py): production settings
(everything from the environment, as khlang/settings/production.py requires) with search
auto-update off, so creating 10 000 pages does not index each one; load.py runs
`manage.py update_index` once afterwards. The app servers under load use
khlang.settings.production itself, not this module.
"""

from khlang.settings.production import *  # noqa: F403

WAGTAILSEARCH_BACKENDS = {  # noqa: F405
    name: {**config, "AUTO_UPDATE": False} for name, config in WAGTAILSEARCH_BACKENDS.items()  # noqa: F405
}
