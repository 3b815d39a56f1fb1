"""A one-file Django site for the CSRF scenario.

Run with Debian's interpreter (python3-django):
    /usr/bin/python3 django_app.py runserver --noreload 127.0.0.1:PORT

/newsletter/ shows two forms: "Subscribe" posts to /subscribe/ and was
written without {% csrf_token %}; "Contact us" posts to /contact/ with the
token. CsrfViewMiddleware rejects the first with Django's own 403 page.
"""
import sys

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="authlens-scenario-test-key-not-a-secret",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
    ],
    INSTALLED_APPS=[],
    TEMPLATES=[{
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {"context_processors": ["django.template.context_processors.csrf"]},
    }],
    USE_TZ=True,
)
django.setup()

from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.urls import path  # noqa: E402

PAGE = engines["django"].from_string("""<!doctype html><html><head><meta charset="utf-8">
<link rel="icon" href="data:,"><title>Newsletter</title></head><body>
<h1>Newsletter</h1>
<form id="subscribe" method="post" action="/subscribe/">
  <input name="email" value="alice@example.test"><button id="subscribe-btn">Subscribe</button>
</form>
<form id="contact" method="post" action="/contact/">{% csrf_token %}
  <input name="message" value="Hello"><button id="contact-btn">Contact us</button>
</form></body></html>""")


def newsletter(request):
    return HttpResponse(PAGE.render({}, request))


def subscribe(request):
    return HttpResponse("<!doctype html><title>Subscribed</title><h1>Subscribed</h1>")


def contact(request):
    return HttpResponse("<!doctype html><title>Thanks</title><h1>Thanks, we will reply soon.</h1>")


urlpatterns = [
    path("newsletter/", newsletter),
    path("subscribe/", subscribe),
    path("contact/", contact),
]

if __name__ == "__main__":
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
