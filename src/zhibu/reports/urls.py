from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("org/<str:code>/<str:year>/", views.org_year, name="org_year"),
    path("org/<str:code>/<str:year>/zip", views.subtree_zip, name="subtree_zip"),
    path("org/<str:code>/<str:year>/start/", views.start, name="start"),
    path("r/<int:pk>/", views.detail, name="detail"),
    path("r/<int:pk>/edit/", views.edit, name="edit"),
    path("r/<int:pk>/refresh/", views.refresh, name="refresh"),
    path("r/<int:pk>/finalise/", views.finalise, name="finalise"),
    path("r/<int:pk>/facts/<str:key>/", views.fact, name="fact"),
    path("r/<int:pk>/docx/", views.docx, name="docx"),
    path("r/<int:pk>/print/", views.print_view, name="print"),
]
