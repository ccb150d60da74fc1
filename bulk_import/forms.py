from django import forms
from django.utils.translation import gettext_lazy as _

from .parsing import MAX_BYTES


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx or .csv)"),
        help_text=_("Up to 5 MB and 5,000 companies."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    sheet = forms.CharField(
        label=_("Sheet (optional)"),
        required=False,
        max_length=100,
        help_text=_("For an .xlsx with several sheets; the first one by default."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:  # checked before anything reads the file
            raise forms.ValidationError(_("The file is larger than 5 MB. Split it into smaller files."))
        return upload
