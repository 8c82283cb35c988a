"""Mounted under /reports/ (AppraisalConfig.url_prefix): the paths these pages had in the reports app."""

from django.urls import path

from . import views

urlpatterns = [
    path("rounds/", views.rounds, name="rounds"),
    path("rounds/new/<str:code>/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:pk>/xlsx/", views.round_xlsx, name="round_xlsx"),
    path("rounds/entry/<int:pk>/submit/", views.round_submit, name="round_submit"),
    path("rounds/entry/<int:pk>/rate/", views.round_rate, name="round_rate"),
    path("reviews/", views.reviews_home, name="reviews_home"),
    path("reviews/org/<str:code>/", views.reviews, name="reviews"),
    path("reviews/org/<str:code>/open/", views.review_open, name="review_open"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/self/", views.review_self, name="review_self"),
    path("reviews/<int:pk>/vote/", views.review_vote, name="review_vote"),
    path("reviews/<int:pk>/count/", views.review_count, name="review_count"),
    path("reviews/<int:pk>/decide/", views.review_decide, name="review_decide"),
]
