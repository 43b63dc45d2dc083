"""WSGI entry for gunicorn (`make serve`): the app as its settings say (DASHBOARD_PUBLIC ...)."""

from app import create_app

app = create_app()
server = app.server
