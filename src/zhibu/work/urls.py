from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("org/<str:code>/", views.overview, name="overview"),
    path("org/<str:code>/<slug:slug>/", views.record_list, name="list"),
    path("org/<str:code>/<slug:slug>/new/", views.record_create, name="create"),
    path("org/<str:code>/<slug:slug>/import/", views.record_import, name="import"),
    path("org/<str:code>/<slug:slug>/import/template.xlsx", views.import_template, name="import_template"),
    path("r/<slug:slug>/<int:pk>/", views.record_detail, name="detail"),
    path("r/<slug:slug>/<int:pk>/edit/", views.record_edit, name="edit"),
    path("r/<slug:slug>/<int:pk>/delete/", views.record_delete, name="delete"),
    path("problems/<int:pk>/status/", views.problem_status, name="problem_status"),
    path("plans/<int:pk>/progress/", views.plan_progress, name="plan_progress"),
    path("spaces/<int:pk>/photos/", views.photo_add, name="photo_add"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"),
]
