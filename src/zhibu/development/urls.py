from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("rules/", views.rulesets, name="rulesets"),
    path("org/<str:code>/", views.pipeline, name="pipeline"),
    path("org/<str:code>/open/", views.open_case, name="open"),
    path("org/<str:code>/settings/", views.org_settings, name="settings"),
    path("case/<int:pk>/", views.case, name="case"),
    path("case/<int:pk>/advance/", views.advance, name="advance"),
    path("case/<int:pk>/upload/", views.upload, name="upload"),
    path("case/<int:pk>/register.docx", views.register_docx, name="register_docx"),
    path("case/<int:pk>/notice.docx", views.notice_docx, name="notice_docx"),
    path("step/<int:pk>/correct/", views.correct, name="correct"),
    path("document/<int:pk>/", views.document, name="document"),
]
