"""WSGI entry for gunicorn (`make serve`): the app as its settings say (DASHBOARD_PUBLIC ...)."""

from app import create_app, settle_heap

app = create_app()
server = app.server
settle_heap()  # in each worker, which imports this module itself
