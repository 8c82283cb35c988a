from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("notes/<int:pk>/", views.notes, name="notes"),
    path("<str:code>/", views.overview, name="overview"),
    path("<str:code>/import/", views.import_view, name="import"),
    path("<str:code>/daily/", views.daily, name="daily"),
    path("<str:code>/daily.svg", views.daily_svg, name="daily_svg"),
    path("<str:code>/ranking/", views.ranking, name="ranking"),
    path("<str:code>/ranking/switch/", views.ranking_switch, name="ranking_switch"),
    path("<str:code>/target/", views.target, name="target"),
    path("<str:code>/notes/", views.notes_summary, name="notes_summary"),
]
