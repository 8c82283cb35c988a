from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("org/<slug:code>/", views.org_page, name="org"),
    path("org/<slug:code>/new/", views.publish, name="publish"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/read/", views.mark_read, name="read"),
    path("<int:pk>/files/<int:file_id>/", views.file, name="file"),
]
