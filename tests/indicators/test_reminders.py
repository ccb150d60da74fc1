from datetime import date

from django.core import mail

from indicators.models import DueDateReminder, ObligationFiling
from indicators.selectors import tax_reminder_recipients
from indicators.services import tax_reminder_send


def test_reminder_emails_the_next_days_due_dates_once(accountant, two_clients, today):
    today["day"] = date(2026, 3, 12)  # Andes is due on the 13th, Peña on the 17th: both within 5 days
    assert accountant.pk in tax_reminder_recipients()
    assert tax_reminder_send(user_id=accountant.pk) == 2
    message = mail.outbox[-1]
    assert message.to == [accountant.email]
    assert (
        "Distribuidora Los Andes Ltda." in message.body and "Panadería Peña Hermanos S.A.S." in message.body
    )
    assert "IVA bimestral" in message.body
    assert tax_reminder_send(user_id=accountant.pk) == 0  # once per due date
    assert len(mail.outbox) == 1
    assert DueDateReminder.objects.filter(user=accountant).count() == 2


def test_reminder_respects_the_opt_out(accountant, two_clients, today):
    today["day"] = date(2026, 3, 12)
    accountant.tax_reminders = False
    accountant.save(update_fields=["tax_reminders"])
    assert accountant.pk not in tax_reminder_recipients()
    assert tax_reminder_send(user_id=accountant.pk) == 0 and mail.outbox == []


def test_reminder_skips_filed_obligations(accountant, two_clients, today):
    today["day"] = date(2026, 3, 12)
    pena, andes = two_clients
    ObligationFiling.objects.create(company=andes, obligation="iva_bimestral", period="2026-01/02")
    assert tax_reminder_send(user_id=accountant.pk) == 1
    assert "Distribuidora Los Andes" not in mail.outbox[-1].body


def test_an_english_reader_gets_the_reminder_in_english(accountant, two_clients, today):
    today["day"] = date(2026, 3, 12)
    accountant.language = "en"
    accountant.save(update_fields=["language"])
    assert tax_reminder_send(user_id=accountant.pk) == 2
    body = mail.outbox[-1].body
    assert "VAT, bimonthly: return and payment" in body and "IVA bimestral" not in body
    assert "03/13/2026" in body and "13/03/2026" not in body
