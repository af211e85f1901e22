"""The demo content `manage.py load_demo` loads (data in `data.py`)."""

from briefs.demo.loader import DemoResult, default_seed_path, load_demo

__all__ = ["DemoResult", "default_seed_path", "load_demo"]
