from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("me/", views.mine, name="mine"),
    path("org/<slug:code>/", views.roll, name="roll"),
    path("org/<slug:code>/export/", views.roll_export, name="roll_export"),
    path("org/<slug:code>/import/", views.payments_import, name="import"),
    path("org/<slug:code>/summary/", views.summary, name="summary"),
    path("org/<slug:code>/watch/", views.watch_page, name="watch"),
    path("org/<slug:code>/settings/", views.org_settings, name="settings"),
    path("org/<slug:code>/transfer-in/", views.transfer_in_new, name="transfer_in_new"),
    path("member/<int:pk>/", views.member, name="member"),
    path("member/<int:pk>/base/", views.base_set, name="base_set"),
    path("member/<int:pk>/payment/", views.payment_record, name="payment_record"),
    path("member/<int:pk>/exemption/", views.exemption_add, name="exemption_add"),
    path("member/<int:pk>/extra/", views.extra_add, name="extra_add"),
    path("member/<int:pk>/contact/", views.contact_add, name="contact_add"),
    path("member/<int:pk>/mobile/", views.mobile_register, name="mobile_register"),
    path("member/<int:pk>/mobile/return/", views.mobile_return, name="mobile_return"),
    path("member/<int:pk>/transfer/", views.transfer_new, name="transfer_new"),
    path("transfers/", views.transfers_index, name="transfers_index"),
    path("transfers/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/receive/", views.transfer_receive, name="transfer_receive"),
    path("transfers/<int:pk>/cancel/", views.transfer_cancel, name="transfer_cancel"),
]
