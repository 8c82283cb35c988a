"""Mounted under /dues/ (MembershipConfig.url_prefix): the paths are those the dues app served before the split."""

from django.urls import path

from . import views

urlpatterns = [
    path("org/<slug:code>/watch/", views.watch_page, name="watch"),
    path("org/<slug:code>/transfer-in/", views.transfer_in_new, name="transfer_in_new"),
    path("member/<int:pk>/contact/", views.contact_add, name="contact_add"),
    path("member/<int:pk>/mobile/", views.mobile_register, name="mobile_register"),
    path("member/<int:pk>/mobile/return/", views.mobile_return, name="mobile_return"),
    path("member/<int:pk>/transfer/", views.transfer_new, name="transfer_new"),
    path("transfers/", views.transfers_index, name="transfers_index"),
    path("transfers/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/receive/", views.transfer_receive, name="transfer_receive"),
    path("transfers/<int:pk>/cancel/", views.transfer_cancel, name="transfer_cancel"),
]
