from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .parsing import MAX_SOURCE_BYTES

ALLOWED_SUFFIXES = (".md", ".markdown", ".txt")


class DocumentUploadForm(forms.Form):
    source = forms.FileField(
        label=_("Markdown 文件"),
        help_text=_("UTF-8 编码的 .md 文件，不超过 1 MiB。上传后先预览差异，确认后才启用。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".md,.markdown,.txt,text/markdown,text/plain"}),
    )

    def clean_source(self):
        upload = self.cleaned_data["source"]
        if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
            raise ValidationError(_("只接受 Markdown 文件（.md、.markdown 或 .txt）。"), code="suffix")
        if upload.size > MAX_SOURCE_BYTES:
            raise ValidationError(
                _("文件过大（%(size)d 字节），上限为 %(limit)d 字节。"),
                code="size",
                params={"size": upload.size, "limit": MAX_SOURCE_BYTES},
            )
        return upload


class VersionActivateForm(forms.Form):
    """Activating a version; one whose title is not the active version's needs `confirm_title` ticked."""

    confirm_title = forms.BooleanField(required=False)

    def __init__(self, *args, title: str = "", active_title: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.title_changed = bool(active_title) and title != active_title
        field = self.fields["confirm_title"]
        field.label = _("我已核对：用《%(title)s》替换当前的《%(active)s》") % {"title": title, "active": active_title}
        if self.title_changed:
            field.required = True
            field.error_messages["required"] = _("标题与当前版本不同：请先勾选确认，再启用。")
