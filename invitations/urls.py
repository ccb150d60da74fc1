from django.urls import path

from . import views

# The recipient's pages, public: the token in the link is the credential.
app_name = "invitations"

urlpatterns = [
    path("<str:token>/", views.invitation_respond, name="respond"),
    path("<str:token>/nuevo-enlace/", views.invitation_renew, name="renew"),
]
