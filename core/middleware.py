"""Request checks every page shares, before any view reads the request."""

from django.shortcuts import render


class UnusableInputMiddleware:
    """Answers 400 to a request whose address, query or form fields hold a NUL character.

    No page can use one, and PostgreSQL refuses to compare text that holds it: without this check a
    `?q=%00` would reach a query and end in a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            return render(request, "400.html", status=400)
        return self.get_response(request)


def _has_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    fields = [request.GET]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        fields.append(request.POST)  # parsed once here, as the CSRF check would; files are not looked at
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for query in fields
        for key, values in query.lists()
    )
