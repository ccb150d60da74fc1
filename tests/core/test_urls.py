from core.urls import absolute_url, rebase_url


def test_absolute_url_is_site_url_plus_the_path(settings):
    settings.SITE_URL = "http://localhost:8111"
    assert absolute_url("/invitaciones/abc/") == "http://localhost:8111/invitaciones/abc/"
    assert absolute_url("contador/") == "http://localhost:8111/contador/"


def test_rebase_url_moves_a_link_built_from_a_request_onto_site_url(settings):
    settings.SITE_URL = "https://contador.example.com"
    assert (
        rebase_url("http://127.0.0.1:8000/cuentas/password/reset/key/1-abc/?x=1#y")
        == "https://contador.example.com/cuentas/password/reset/key/1-abc/?x=1#y"
    )
