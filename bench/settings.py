"""Settings for the benchmark: the site's own, plus one fixed-response view."""

from archive.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# Page-level logging of 4xx would only add noise to the measurements.
LOGGING = {"version": 1, "disable_existing_loggers": False}
