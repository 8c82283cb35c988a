from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("me/", views.mine, name="mine"),
    path("org/<slug:code>/", views.roll, name="roll"),
    path("org/<slug:code>/export/", views.roll_export, name="roll_export"),
    path("org/<slug:code>/import/", views.payments_import, name="import"),
    path("org/<slug:code>/summary/", views.summary, name="summary"),
    path("org/<slug:code>/settings/", views.org_settings, name="settings"),
    path("member/<int:pk>/", views.member, name="member"),
    path("member/<int:pk>/base/", views.base_set, name="base_set"),
    path("member/<int:pk>/payment/", views.payment_record, name="payment_record"),
    path("member/<int:pk>/exemption/", views.exemption_add, name="exemption_add"),
    path("member/<int:pk>/extra/", views.extra_add, name="extra_add"),
]
