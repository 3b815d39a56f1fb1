"""What the recorder's Django sites (django_kiosk.py, django_site.py) share:
their settings (`configure`: Django 3.2 + DRF session auth, in-memory
templates, SQLite in the run directory), `setup` (migrate, create the test
user alice / correct-horse, print her DRF token) and the command line
(`setup`, or a manage.py command)."""
import os
import sys


def configure(urlconf, secret, db, home, templates, **extra):
    import django
    from django.conf import settings
    settings.configure(
        DEBUG=False,
        SECRET_KEY=secret,
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=urlconf,
        INSTALLED_APPS=[
            "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
            "rest_framework", "rest_framework.authtoken",
        ],
        MIDDLEWARE=[
            "django.middleware.security.SecurityMiddleware",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(os.environ.get("HOLDOUT_RUN", "/tmp"), db)}},
        TEMPLATES=[{
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [("django.template.loaders.locmem.Loader", templates)],
                "context_processors": ["django.template.context_processors.request", "django.contrib.auth.context_processors.auth", "django.template.context_processors.csrf"],
            },
        }],
        LOGIN_URL="/accounts/login/",
        LOGIN_REDIRECT_URL=home,
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        REST_FRAMEWORK={
            "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
            "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
            "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        },
        **extra,
    )
    django.setup()


def setup():
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token
    call_command("migrate", verbosity=0)
    alice = User.objects.create_user("alice", password="correct-horse")
    print(Token.objects.create(user=alice).key)


def main():
    if sys.argv[1:2] == ["setup"]:
        setup()
    else:
        from django.core.management import execute_from_command_line
        execute_from_command_line(sys.argv)
