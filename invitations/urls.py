from django.urls import path

from . import views

# The recipient's pages, public: the token in the link is the credential.
app_name = "invitations"

urlpatterns = [
    path("<str:token>/", views.invitation_respond, name="respond"),
    path("<str:token>/nuevo-enlace/", views.invitation_renew, name="renew"),
]

# The accountant's pages, in the workspace (/contador/clientes/...).
client_patterns = (
    [
        path("anadir/", views.client_add, name="add"),
        path("nueva-empresa/", views.client_create, name="create"),
        path("vinculos/<int:access_id>/reenviar/", views.access_resend_view, name="resend"),
        path("vinculos/<int:access_id>/revocar/", views.access_revoke_view, name="revoke"),
    ],
    "clients",
)
