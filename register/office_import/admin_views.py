"""The admin pages of the office import ("Nhập danh sách của cơ quan"): upload a
list, then one page that shows and lets the clerk correct everything the engine
proposes — the header row and sheet, the mapping, the meaning of unknown words,
the new partners, the possible duplicates — above the preview of every row, and
imports (all rows, or the good ones with the bad ones given back).

The uploaded file is kept in a folder the media view never serves
(``office-imports/``), named by a random token; the clerk's choices travel in
the page's form, so that every step reads the same file again. Beside it: its
meta (kind, name, uploader: only the uploader may open any of these files), and
once imported the summary the result page shows (``<token>done``: the import's
POST redirects to that page, and the same import posted again is not imported
twice) and the bad rows given back (``<token>bad``).
"""

import json
import secrets

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.models import PartnerKind
from register.import_admin import MAX_IMPORT_BYTES
from register.import_rows import ImportFileError
from register.models import SheetMapping
from register.office_import import bad_rows, blank, engine
from register.office_import.fields import KINDS, TRANSACTION, heading_key, kind_choices, register_columns
from register.office_import.mapping import all_targets
from register.office_import.plans import Choices

FOLDER = "office-imports"
PREVIEW_ROWS = 300


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the rows are"), choices=kind_choices)
    file = forms.FileField(
        label=gettext_lazy("The office's list"),
        help_text=gettext_lazy(
            "An .xlsx, .xls, .ods or .csv file of at most 20 MB, in the office's own layout: title rows, "
            "merged cells and a total row are recognised. An .xls a system exported as a web page is read too."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB. Split it into smaller files."))
        return upload


def model_of(kind):
    from django.apps import apps

    return apps.get_model(kind.model)


def allowed(user, kind):
    model = model_of(kind)
    label = f"{model._meta.app_label}.%s_{model._meta.model_name}"
    return user.is_active and user.is_staff and user.has_perm(label % "add") and user.has_perm(label % "change")


def stored_path(token):
    if not token or not token.isalnum():
        raise Http404
    return f"{FOLDER}/{token}"


def upload_view(request, admin_site):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        kind = KINDS[form.cleaned_data["kind"]]
        if not allowed(request.user, kind):
            raise PermissionDenied
        upload = form.cleaned_data["file"]
        token = secrets.token_hex(16)
        default_storage.save(stored_path(token), ContentFile(upload.read()))
        meta = {"kind": kind.key, "name": upload.name, "user": request.user.pk}
        default_storage.save(stored_path(token) + "meta", ContentFile(json.dumps(meta).encode()))
        return redirect(reverse("admin:office_import_preview", args=[token]))
    context = {
        **admin_site.each_context(request),
        "title": _("Import an office's list"),
        "form": form,
        "kinds": list(KINDS.values()),
        "mappings": SheetMapping.objects.all()[:50],
    }
    return TemplateResponse(request, "admin/office_import/upload.html", context)


def template_view(request, admin_site, kind_key):
    if kind_key not in KINDS:
        raise Http404
    response = HttpResponse(
        blank.template_workbook(kind_key),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="mau-{kind_key}.xlsx"'
    return response


def read_stored(token, suffix=""):
    """The bytes of an upload's file (``suffix``: "meta", "done", "bad"), Http404 when there is none."""
    try:
        with default_storage.open(stored_path(token) + suffix) as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        raise Http404 from None


def load_meta(request, token):
    """The upload's meta and kind; only the clerk who uploaded it may open it."""
    meta = json.loads(read_stored(token, "meta"))
    if meta.get("user") != request.user.pk:
        raise Http404
    kind = KINDS[meta["kind"]]
    if not allowed(request.user, kind):
        raise PermissionDenied
    return meta, kind


def load(request, token):
    meta, kind = load_meta(request, token)
    return meta, kind, read_stored(token)


def finished_already(token):
    return default_storage.exists(stored_path(token) + "done")


def imported_already(request, token):
    """The same import posted again (a reload of the result, the back button): not imported twice."""
    messages.warning(request, _("This list was imported already; it was not imported again. Its result:"))
    return redirect(reverse("admin:office_import_done", args=[token]))


def claim(token):
    """Whether this request may import the upload now: a marker file made once (the storage makes
    a file of a taken name under another name), so that two requests at the same time (a double
    click) do not both import it. Deleted when the import is over; the summary then says it is done."""
    name = stored_path(token) + "importing"
    saved = default_storage.save(name, ContentFile(b""))
    if saved != name:
        default_storage.delete(saved)
        return False
    return True


def choices_from(post):
    """The clerk's choices, from the page's form."""
    choices = Choices.from_json(json.loads(post.get("choices") or "{}"))
    header = post.get("header_row", "")
    previous = (choices.header_row, choices.sheet)
    choices.header_row = int(header) if header.isdigit() else None
    if post.get("sheet"):
        choices.sheet = post["sheet"]
    if previous != (choices.header_row, choices.sheet) and previous != (None, None):
        choices.mapping = {}  # other headings: proposed again
    else:
        choices.mapping = {k[4:]: v for k, v in post.items() if k.startswith("map_") and v}
    for key, value in post.items():
        if key.startswith("word_"):
            target, word = json.loads(post.get(f"wordkey_{key[5:]}", "[]") or '["", ""]')
            if value == "?":
                choices.values.get(target, {}).pop(word, None)
            else:
                choices.values.setdefault(target, {})[word] = value
        elif key.startswith("default_"):
            choices.defaults[key[8:]] = value
        elif key.startswith("partner_action_"):
            index = key[15:]
            proposal = post.get(f"partner_key_{index}")
            if not proposal:
                continue
            if value == "new":
                choices.partners[proposal] = {"action": "new", "kind": post.get(f"partner_kind_{index}") or ""}
            elif value.startswith("existing:") and value[9:].isdigit():
                choices.partners[proposal] = {"action": "existing", "pk": int(value[9:])}
            else:
                choices.partners.pop(proposal, None)
        elif key.startswith("dup_"):
            if value:
                choices.duplicates[key[4:]] = value
            else:
                choices.duplicates.pop(key[4:], None)
    return choices


def preview_view(request, admin_site, token):
    meta, kind, data = load(request, token)
    choices = choices_from(request.POST) if request.method == "POST" else Choices()
    action = request.POST.get("action", "")
    importing = action in ("import", "import_good")
    if importing and finished_already(token):
        return imported_already(request, token)
    try:
        plan = engine.read(data, meta["name"], kind.key, choices)
        if request.method == "GET":
            mapping = SheetMapping.matching(kind.key, [c.heading for c in plan.columns])
            if mapping is not None:
                plan = engine.read(data, meta["name"], kind.key, Choices(), mapping=mapping)
        plan.file_name = meta["name"]
        if importing and not claim(token):
            messages.warning(
                request, _("This list is being imported (was the button pressed twice?): reload the page in a moment.")
            )
        elif importing:
            try:
                if finished_already(token):  # while this request read the file
                    return imported_already(request, token)
                # Saved as it is checked (no preview first): a refusal leaves the rows marked as the preview would.
                source = import_plan(request, plan, data, meta["name"], good_only=action == "import_good")
                if source is not None:
                    return finished(request, admin_site, token, plan, kind, source, data)
            finally:
                default_storage.delete(stored_path(token) + "importing")
        if not plan.previewed:
            engine.preview(plan, request.user)
    except ImportFileError as error:
        messages.error(request, str(error))
        return redirect(reverse("admin:office_import"))
    if action == "save_mapping" and request.POST.get("mapping_name", "").strip():
        save_mapping(request, plan, request.POST["mapping_name"].strip())
    plan.choices.header_row, plan.choices.sheet = plan.header_row, plan.sheet
    for proposal in plan.proposals:  # the clerk's decisions, shown again (the kind chosen included)
        proposal.decision = plan.choices.partners.get(proposal.key) or {}
    for row in plan.rows[:PREVIEW_ROWS]:
        row.chosen, _colon, pk = (plan.duplicate_choice(row) or "").partition(":")
        row.chosen_pk = int(pk) if pk.isdigit() else None
    context = {
        **admin_site.each_context(request),
        "title": _("Import an office's list: %(file)s") % {"file": meta["name"]},
        "plan": plan,
        "kind": kind,
        "token": token,
        "targets": [(t.key, t.label) for t in all_targets(kind)],
        "choices_json": json.dumps(plan.choices.as_json(), ensure_ascii=False),
        "rows": plan.rows[:PREVIEW_ROWS],
        "bad_rows": [row for row in plan.rows[PREVIEW_ROWS:] if row.errors],
        "counts": plan.counts(),
        "partner_kinds": PartnerKind.choices,
        "field_labels": field_labels(kind),
        "ready": engine.ready(plan),
    }
    return TemplateResponse(request, "admin/office_import/preview.html", context)


def import_plan(request, plan, data, file_name, good_only):
    """The Source of the rows saved, or None with the reasons told (the plan's rows then marked)."""
    reasons = engine.ready(plan)
    if not reasons and (good_only or not plan.bad_rows()):
        source = engine.save(plan, request.user, data=data, file_name=file_name, good_rows_only=good_only)
        if source is not None:
            return source
        reasons = engine.ready(plan)
        if not reasons:
            messages.error(request, _("Nothing was saved: the register refused a row. See the rows marked below."))
    for reason in reasons or [_("Some rows have errors: correct the file, or import the good rows only.")]:
        messages.warning(request, reason)
    return None


def field_labels(kind):
    labels = {c.key: str(c.header) for c in register_columns(kind)}
    return labels


def save_mapping(request, plan, name):
    values = {key: dict(words) for key, words in plan.choices.values.items()}
    for question in plan.questions:
        values.setdefault(question.target, {}).update(
            {w["key"]: w["code"] for w in question.words if w["code"] is not None}
        )
    SheetMapping.objects.update_or_create(
        kind=plan.kind.key,
        name=name,
        defaults={
            "signature": plan.signature(),
            "columns": {heading_key(c.heading): c.target for c in plan.columns if c.heading},
            "values": values,
            "defaults": plan.choices.defaults,
            "created_by": request.user,
        },
    )
    messages.success(
        request, _("The mapping was saved as “%(name)s”: a file with the same headings will use it.") % {"name": name}
    )


def finished(request, admin_site, token, plan, kind, source, data):
    """After the save: the bad rows and the summary kept beside the upload, and a redirect to the
    result page (a reload of which imports nothing again)."""
    bad = plan.bad_rows()
    if bad:
        default_storage.save(
            stored_path(token) + "bad", ContentFile(bad_rows.bad_rows_workbook(plan, data, plan.file_name))
        )
    created = getattr(plan, "created", {})
    summary = {
        "counts": plan.counts(),
        "source": source.pk,
        "bad": len(bad),
        "new_partners": [
            {"pk": created[p.key], "name": p.name}
            for p in plan.proposals
            if (plan.choices.partners.get(p.key) or {}).get("action") == "new" and p.key in created
        ],
        "transactions": plan.transaction_counts() if has_transactions(kind) else None,
    }
    default_storage.save(stored_path(token) + "done", ContentFile(json.dumps(summary).encode()))
    return redirect(reverse("admin:office_import_done", args=[token]))


def has_transactions(kind):
    return any(target.reader == TRANSACTION for target in kind.targets)


def done_view(request, admin_site, token):
    """The result of an import, from the summary kept when it was saved."""
    meta, kind = load_meta(request, token)
    summary = json.loads(read_stored(token, "done"))
    model = model_of(kind)
    context = {
        **admin_site.each_context(request),
        "title": _("Import finished"),
        "file_name": meta["name"],
        "counts": summary["counts"],
        "bad": summary["bad"],
        "token": token,
        "source_url": reverse("admin:sources_source_change", args=[summary["source"]]),
        "list_url": reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"),
        "kind": kind,
        "new_partners": [
            (partner["name"], reverse("admin:partners_partner_change", args=[partner["pk"]]))
            for partner in summary["new_partners"]
        ],
        "transactions": summary.get("transactions"),
    }
    return TemplateResponse(request, "admin/office_import/done.html", context)


def bad_rows_view(request, admin_site, token):
    load_meta(request, token)
    data = read_stored(token, "bad")
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="dong-loi.xlsx"'
    return response
