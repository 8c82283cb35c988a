"""Mounted at /records/. Organisation codes are 3–50 characters, so the one- and two-letter segments used for
records ("a/"), files ("f/"), sign-in codes ("q/") and the member's own page ("me/") can never clash with an organisation code."""

from django.urls import path

from . import checkin_views, views

urlpatterns = [
    path("", views.index, name="index"),
    path("me/", views.mine, name="mine"),
    path("a/<int:pk>/", views.activity_detail, name="detail"),
    path("a/<int:pk>/edit/", views.activity_edit, name="edit"),
    path("a/<int:pk>/delete/", views.activity_delete, name="delete"),
    path("a/<int:pk>/files/", views.attachment_add, name="attachment_add"),
    path("a/<int:pk>/checkin/", checkin_views.checkin_screen, name="checkin_screen"),
    path("a/<int:pk>/checkin/open/", checkin_views.checkin_open, name="checkin_open"),
    path("a/<int:pk>/checkin/close/", checkin_views.checkin_close, name="checkin_close"),
    path("q/<str:token>/", checkin_views.checkin_member, name="checkin"),
    path("f/<int:pk>/", views.attachment, name="attachment"),
    path("f/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("<str:code>/", views.activity_list, name="list"),
    path("<str:code>/calendar/", views.activity_calendar, name="calendar"),
    path("<str:code>/new/", views.activity_create, name="create"),
    path("<str:code>/kinds/", views.kinds, name="kinds"),
]
