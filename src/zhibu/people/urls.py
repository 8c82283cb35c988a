from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("me/", views.me, name="me"),
    path("template.xlsx", views.template, name="template"),
    path("org/<str:code>/", views.member_list, name="list"),
    path("org/<str:code>/new/", views.create, name="create"),
    path("org/<str:code>/import/", views.import_view, name="import"),
    path("org/<str:code>/export.xlsx", views.export, name="export"),
    path("org/<str:code>/export-job", views.export_job, name="export_job"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path("<int:pk>/status/", views.status_add, name="status_add"),
]
