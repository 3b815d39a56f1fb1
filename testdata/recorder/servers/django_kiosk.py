"""Django + Django REST framework site for the AuthLens hold-out recordings.

    /usr/bin/python3 django_site.py setup            # migrate, create users, print token
    /usr/bin/python3 django_site.py runserver --noreload 127.0.0.1:PORT

HOLDOUT_RUN names the run directory (SQLite database lives there).
Users (test-only): alice / correct-horse (no staff permission).
"""
import os


TEMPLATES = {
    "registration/login.html": """<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Log in</title></head><body>
<h1>Log in</h1><form method="post" action="{{ request.path }}">{% csrf_token %}
<input name="username" value="alice"><input name="password" type="password" value="correct-horse">
<input type="hidden" name="next" value="{{ next }}"><button id="login-btn">Log in</button></form></body></html>""",
    "dashboard.html": """<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Dashboard</title></head><body>
<h1>Hello {{ user.username }}</h1><a id="notes" href="/notes/">Notes</a> <a id="staff" href="/staff/reports/">Staff reports</a></body></html>""",
    "notes.html": """<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Notes</title></head><body>
<h1>Notes</h1>{% csrf_token %}<ul id="list"></ul>
<script>
function csrf() { return document.cookie.split('; ').find(c => c.startsWith('csrftoken=')).split('=')[1]; }
// Old helper: posts without the X-CSRFToken header.
window.addNoteOld = (t) => fetch('/notes/add/', {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded', 'X-Requested-With': 'XMLHttpRequest'}, body: 'text=' + encodeURIComponent(t)}).then(r => r.status);
window.addNote = (t) => fetch('/notes/add/', {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded', 'X-Requested-With': 'XMLHttpRequest', 'X-CSRFToken': csrf()}, body: 'text=' + encodeURIComponent(t)}).then(r => r.status);
window.apiNoteOld = (t) => fetch('/api/notes/', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({text: t})}).then(r => r.status);
window.apiNote = (t) => fetch('/api/notes/', {method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf()}, body: JSON.stringify({text: t})}).then(r => r.status);
</script></body></html>""",
    "feedback.html": """<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><meta name="referrer" content="no-referrer"><title>Feedback</title></head><body>
<form method="post" action="/feedback/">{% csrf_token %}<input name="text" value="Nice"><button id="send">Send</button></form></body></html>""",
    "home.html": """<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Acme</title></head><body>
<h1>Acme</h1><a id="dash" href="/dashboard/">Dashboard</a></body></html>""",
}

from django_common import configure, main  # noqa: E402

configure(__name__, "holdout-test-key-not-a-secret", "holdout.sqlite3", "/dashboard/", TEMPLATES,
          # Behind the TLS proxy (nginx on X_DJ) the site is https: CSRF checks the Referer strictly.
          SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
          USE_X_FORWARDED_HOST=True)

from django.contrib.auth import views as auth_views  # noqa: E402
from django.contrib.auth.decorators import login_required, permission_required  # noqa: E402
from django.http import HttpResponse, JsonResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import ensure_csrf_cookie  # noqa: E402
from rest_framework.authentication import TokenAuthentication  # noqa: E402
from rest_framework.decorators import api_view, authentication_classes  # noqa: E402
from rest_framework.response import Response  # noqa: E402


def home(request):
    return render(request, "home.html")


@login_required
def dashboard(request):
    return render(request, "dashboard.html")


@login_required
@ensure_csrf_cookie
def notes(request):
    return render(request, "notes.html")


@login_required
def add_note(request):
    return JsonResponse({"saved": True})


@permission_required("auth.view_user", raise_exception=True)
def staff_reports(request):
    return HttpResponse("<h1>Staff reports</h1>")


@api_view(["GET"])
def api_profile(request):
    return Response({"username": request.user.username})


@api_view(["GET"])
def api_invoices(request):
    return Response({"invoices": [7, 8]})


@api_view(["GET", "POST"])
def api_notes(request):
    return Response({"saved": request.method == "POST"})


@api_view(["GET"])
@authentication_classes([TokenAuthentication])
def api_orders(request):
    return Response({"orders": [1041, 1042]})


@ensure_csrf_cookie
def feedback(request):
    if request.method == "POST":
        return HttpResponse("<h1>Thanks</h1>")
    return render(request, "feedback.html")


class KioskLoginView(auth_views.LoginView):
    """Shared kiosk terminals: sessions last 4 seconds (SESSION_COOKIE_AGE-style, per session)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session.set_expiry(4)
        return response


@login_required
def kiosk(request):
    return HttpResponse('<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Kiosk</title></head>'
                        '<body><h1>Kiosk</h1><a id="orders" href="/kiosk/orders/">Orders</a></body></html>')


urlpatterns = [
    path("kiosk/login/", KioskLoginView.as_view()),
    path("kiosk/", kiosk),
    path("kiosk/orders/", kiosk),
    path("", home),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("dashboard/", dashboard),
    path("notes/", notes),
    path("notes/add/", add_note),
    path("staff/reports/", staff_reports),
    path("api/profile/", api_profile),
    path("api/notes/", api_notes),
    path("api/invoices/", api_invoices),
    path("api/v1/orders/", api_orders),
    path("api/v2/orders/", api_orders),
    path("feedback/", feedback),
]



if __name__ == "__main__":
    main()
