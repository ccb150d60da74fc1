"""In-app notices about an access, and their e-mails through the outbox."""

from django.urls import reverse
from django.utils import timezone

from core.emails import email_message
from core.services import outgoing_email_queue
from core.urls import absolute_url

from ..access import access_audience
from ..models import CompanyAccess, Notice, Workspace


def access_notify(*, access: CompanyAccess, kind: str, detail: str = "") -> list[Notice]:
    """Tell the workspace's accountants who hear about the access (firms.access.access_audience), in the
    app, that a client answered or ended it; the one who sent the request (else the owner) also gets an
    e-mail, through the outbox like every other e-mail: kept with the notice and sent by a worker once this
    commits, queued again by the outbox's beat job if the broker is down (core.services)."""
    members = list(access_audience(access))
    if not members:
        return []
    emailed = next((m for m in members if m.user_id == access.invited_by_id), members[0])
    notices = Notice.objects.bulk_create(
        Notice(
            user_id=member.user_id,
            workspace_id=access.workspace_id,
            access=access,
            kind=kind,
            company_name=access.name,
            detail=detail[:2000],
            email_wanted=member.user_id == emailed.user_id,
        )
        for member in members
    )
    notice = next(notice for notice in notices if notice.email_wanted)
    notice.email = outgoing_email_queue(kind=f"access_{kind}", message=_notice_email(notice, emailed.user))
    notice.save(update_fields=["email"])
    return notices


def _notice_email(notice: Notice, user):
    return email_message(
        template=f"access_{notice.kind}",
        to=[user.email],
        language=user.language,
        context={
            "notice": notice,
            "user": user,
            "workspace": notice.access.workspace,
            "access": notice.access,
            "company_name": notice.company_name,
            "list_url": absolute_url(reverse("firms:workspace_home")),
            "notices_url": absolute_url(reverse("firms:notices")),
        },
    )


def notices_mark_read(*, user, workspace: Workspace) -> int:
    return Notice.objects.filter(user=user, workspace=workspace, read_at__isnull=True).update(
        read_at=timezone.now()
    )
