from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("reminders/", views.reminders, name="reminders"),
    path("reminders/reset/", views.feed_reset, name="feed_reset"),
    path("ics/<str:token>.ics", views.ics, name="ics"),
    path("requirement/<int:pk>/edit/", views.requirement_edit, name="requirement_edit"),
    path("requirement/<int:pk>/retire/", views.requirement_retire, name="requirement_retire"),
    path("<str:code>/", views.branch, name="branch"),
    path("<str:code>/explain/", views.explain, name="explain"),
    path("<str:code>/board/", views.board, name="board"),
    path("<str:code>/board/export/", views.board_export, name="board_export"),
    path("<str:code>/followup/", views.followup_add, name="followup_add"),
    path("<str:code>/requirements/", views.requirement_list, name="requirements"),
    path("<str:code>/requirements/new/", views.requirement_add, name="requirement_add"),
    path("<str:code>/requirements/<int:pk>/notice/", views.requirement_notice, name="requirement_notice"),
]
