from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("me/", views.mine, name="mine"),
    path("org/<slug:code>/", views.org_page, name="org"),
    path("org/<slug:code>/sheet/<int:pk>/", views.sheet, name="sheet"),
    path("org/<slug:code>/templates/new/", views.template_new, name="template_new"),
    path("templates/<int:pk>/", views.template_edit, name="template_edit"),
]
urlpatterns += [
    path("org/<slug:code>/book/", views.book, name="book"),
    path("org/<slug:code>/stats/", views.stats_page, name="stats"),
    path("org/<slug:code>/stats/people/", views.stats_people, name="stats_people"),
    path("member/<int:pk>/archive/", views.member_archive, name="archive"),
]
urlpatterns += [
    path("case/<int:pk>/", views.case_book, name="case_book"),
    path("org/<slug:code>/dues/", views.dues_ledger, name="dues_ledger"),
]
