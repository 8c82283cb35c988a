from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/", views.dashboard, name="dashboard"),
    path("<slug:code>/tree/", views.tree, name="tree"),
    path("<slug:code>/children/", views.children, name="children"),
    path("<slug:code>/info/", views.detail, name="detail"),
    path("<slug:code>/new/", views.create, name="create"),
    path("<slug:code>/edit/", views.edit, name="edit"),
    path("<slug:code>/move/", views.move, name="move"),
    path("<slug:code>/dissolve/", views.dissolve, name="dissolve"),
    path("<slug:code>/roles/", views.role_grant, name="role_grant"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("<slug:code>/breaks/", views.breaks, name="breaks"),
    path("breaks/<int:pk>/remove/", views.break_remove, name="break_remove"),
]
