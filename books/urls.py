from django.urls import path

from . import views

app_name = "books"

urlpatterns = [
    path("", views.account_list, name="account_list"),
    path("nueva/", views.account_new, name="account_new"),
]
