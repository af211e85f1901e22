"""Demo content and `manage.py load_demo` (loader in `loader.py`, data in `data.py`).

An app so that its command is found; nothing else imports it. This package
imports nothing at load time (an app package must not touch models before
the registry is ready): use `demo.loader`.
"""
