"""Django 3.2 + Django REST framework site of the gateway and multi-origin stacks (tasks API, audit, a multipart upload view).

    /usr/bin/python3 django_site.py setup            # migrate, create users, print alice's token
    /usr/bin/python3 django_site.py runserver --noreload 127.0.0.1:PORT

HOLDOUT_RUN names the run directory (SQLite database lives there).
Users (test-only): alice / correct-horse (no staff), the token keyword is
"Bearer" (a TokenAuthentication subclass, as many DRF projects do).
"""
import os


TEMPLATES = {
    "registration/login.html": """<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Log in</title></head><body>
<h1>Log in</h1>{% if form.errors %}<p id="err">{{ form.non_field_errors }}</p>{% endif %}<form method="post" action="{{ request.path }}">{% csrf_token %}
<input name="username" value="alice"><input name="password" type="password" id="pw" value="">
<input type="hidden" name="next" value="{{ next }}"><button id="login-btn">Log in</button></form></body></html>""",
    "tasks.html": """<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Tasks</title></head><body>
<h1>Tasks of {{ user.username }}</h1><ul id="list"></ul>
<script>
function csrf() { return document.cookie.split('; ').find(c => c.startsWith('csrftoken=')).split('=')[1]; }
window.load = () => fetch('/api/tasks/').then(async (r) => { await r.text(); return r.status; });
window.rename = (id) => fetch('/api/tasks/' + id + '/', {method: 'PUT', headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf()}, body: JSON.stringify({title: 'renamed'})}).then(async (r) => { await r.text(); return r.status; });
// Generic helper written for token auth: no X-CSRFToken on DELETE.
window.remove = (id) => fetch('/api/tasks/' + id + '/', {method: 'DELETE'}).then(async (r) => { await r.text(); return r.status; });
</script></body></html>""",
    "upload.html": """<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Upload</title></head><body>
<h1>Upload a receipt</h1><form id="f" method="post" enctype="multipart/form-data">{% csrf_token %}<input type="file" name="file"></form>
<script>
function fd(withToken) { const d = new FormData(); d.append('file', new Blob(['receipt 42 EUR'], {type: 'text/plain'}), 'receipt.txt'); if (withToken) d.append('csrfmiddlewaretoken', document.querySelector('[name=csrfmiddlewaretoken]').value); return d; }
// The drag-and-drop widget builds its own FormData and forgets the token.
window.dropUpload = () => fetch('/upload/', {method: 'POST', body: fd(false)}).then(async (r) => { await r.text(); return r.status; });
window.formUpload = () => fetch('/upload/', {method: 'POST', body: fd(true)}).then(async (r) => { await r.text(); return r.status; });
</script></body></html>""",
}

from django_common import configure, main  # noqa: E402

configure(__name__, "holdout2-test-key-not-a-secret", os.environ.get("DJANGO_DB", "site.sqlite3"),
          os.environ.get("DJANGO_HOME", "/tasks/"), TEMPLATES)

from django.contrib.auth import views as auth_views  # noqa: E402
from django.contrib.auth.decorators import login_required  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from rest_framework.authentication import SessionAuthentication, TokenAuthentication  # noqa: E402
from rest_framework.decorators import api_view, authentication_classes, permission_classes  # noqa: E402
from rest_framework.permissions import IsAdminUser, IsAuthenticated  # noqa: E402
from rest_framework.response import Response  # noqa: E402


class BearerTokenAuthentication(TokenAuthentication):
    keyword = "Bearer"


AUTH = [BearerTokenAuthentication, SessionAuthentication]

TASKS = {1: "Write report", 2: "Call Bob", 3: "Plan sprint"}


@login_required
def tasks_page(request):
    return render(request, "tasks.html")


@api_view(["GET"])
@authentication_classes(AUTH)
def api_tasks(request):
    return Response([{"id": k, "title": v} for k, v in TASKS.items()])


@api_view(["GET", "PUT", "DELETE"])
@authentication_classes(AUTH)
def api_task(request, pk):
    if request.method == "DELETE":
        return Response(status=204)
    return Response({"id": pk, "title": TASKS.get(pk, "?")})


@api_view(["GET"])
@authentication_classes(AUTH)
@permission_classes([IsAuthenticated, IsAdminUser])
def api_audit(request):
    return Response({"events": []})


@login_required
def upload(request):
    if request.method == "POST":
        f = request.FILES.get("file")
        return JsonResponse({"stored": f.name if f else None, "size": f.size if f else 0})
    return render(request, "upload.html")


urlpatterns = [
    path("upload/", upload),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("tasks/", tasks_page),
    path("api/tasks/", api_tasks),
    path("api/tasks/<int:pk>/", api_task),
    path("api/audit/", api_audit),
]



if __name__ == "__main__":
    main()
