import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")
application = get_wsgi_application()
# Import the URLconf and every view now: under gunicorn's preload_app this
# happens once in the master, not in each worker's first request (nor again after max_requests).
_ = get_resolver().url_patterns
