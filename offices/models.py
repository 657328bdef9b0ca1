"""The office that runs this register: its province, its names as the site,
the Word documents and the IATI file write them, and its emblem.

One profile per province (``province_code`` is unique): the records of a
province point at its office by that code (docs/PROVINCES.md). Pages read a
profile through ``offices.profile``, cached, never from here.

A user's province is their StaffProfile (offices.scope.office_of)."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.files import PHOTO_FORMATS, inspect_photo, validate_photo
from common.storage import generated_upload_path
from offices import provinces
from projects.iati_standard import code_names, codes, valid_organisation_identifier

# The document symbol after "Số: .../" (Nghị định 30/2020/NĐ-CP): letters, digits and hyphens ("BC-SNgV").
REPORT_SYMBOL = re.compile(r"^[^\W_]+(-[^\W_]+)*$")


# A new report's "Nơi nhận" (Decree 30/2020/NĐ-CP): where the office sends it, then the archive.
DEFAULT_RECIPIENTS = "- UBND tỉnh;\n- Bộ Ngoại giao;\n- Lãnh đạo Sở;\n- Lưu: VT."


def _emblem_upload(instance, filename):
    # The extension follows what Pillow found inside the file, not its name.
    return generated_upload_path("office", filename, extension=PHOTO_FORMATS[inspect_photo(instance.emblem)])


def iati_organisation_types():
    """IATI's OrganisationType codelist (projects/iati_standard/codelists): "10 – Government" ... "90 – Other",
    the names in the reader's language (the catalogue translates IATI's English names)."""
    names = code_names("OrganisationType")
    return [(code, format_lazy("{} – {}", code, _(names[code]))) for code in sorted(names)]


def _not_blank(field):
    return models.CheckConstraint(condition=~models.Q(**{field: ""}), name=f"officeprofile_{field}_not_blank")


class OfficeProfile(models.Model):
    # One office per province; the records of a province refer to its office by this code (to_field).
    province_code = models.CharField(_("province"), max_length=2, choices=provinces.province_choices, unique=True)

    office_name = models.CharField(
        _("office's name"), max_length=200, help_text=_("As the site's header shows it: Sở Ngoại vụ tỉnh Cao Bằng.")
    )
    office_name_en = models.CharField(
        _("office's name in English"),
        max_length=200,
        blank=True,
        help_text=_("Shown when the site is in English; blank: the Vietnamese name."),
    )
    superior_body = models.CharField(
        _("superior body"),
        max_length=200,
        help_text=_("The first line of a document's heading, in capitals: UBND TỈNH CAO BẰNG."),
    )
    heading_name = models.CharField(
        _("office's name in document headings"),
        max_length=200,
        help_text=_("The second line, in bold capitals: SỞ NGOẠI VỤ."),
    )
    place = models.CharField(
        _("place of the date line"),
        max_length=100,
        help_text=_("As the date line writes it: “Cao Bằng, ngày … tháng … năm …”."),
    )
    report_symbol = models.CharField(
        _("report symbol"),
        max_length=30,
        validators=[RegexValidator(REPORT_SYMBOL, _("Letters and digits joined by hyphens, such as BC-SNgV."))],
        help_text=_("After “No.: …/” on a report: BC-SNgV."),
    )
    signer_title = models.CharField(
        _("signer's title"), max_length=100, blank=True, help_text=_("Above the signature: GIÁM ĐỐC.")
    )
    report_recipients = models.TextField(
        _("recipients of a report"),
        blank=True,
        default=DEFAULT_RECIPIENTS,
        help_text=_("“Nơi nhận” of a new report, one recipient a line; each report may change its own."),
    )
    emblem = models.ImageField(
        _("emblem"),
        upload_to=_emblem_upload,
        validators=[validate_photo],
        blank=True,
        max_length=200,
        help_text=_("A JPEG, PNG or WebP image shown beside the site's name; blank: a star."),
    )

    iati_org_name = models.CharField(
        _("IATI reporting organisation"),
        max_length=200,
        help_text=_("The organisation named as the reporter in the IATI file."),
    )
    iati_org_ref = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        help_text=_(
            "VN-COA- followed by the office's code in the Chart of Accounts (mã ĐVQHNS); every IATI activity "
            "identifier starts with it."
        ),
    )
    iati_org_type = models.CharField(
        _("IATI organisation type"), max_length=2, choices=iati_organisation_types, default="11"
    )

    site_title = models.CharField(
        _("site title"), max_length=200, help_text=_("As the header shows it: Cơ sở dữ liệu đối ngoại tỉnh Cao Bằng.")
    )
    site_title_en = models.CharField(
        _("site title in English"),
        max_length=200,
        blank=True,
        help_text=_("Shown when the site is in English; blank: the Vietnamese title."),
    )
    footer = models.CharField(
        _("footer"),
        max_length=300,
        blank=True,
        help_text=_("The line at the foot of every page; blank: the office's name."),
    )
    footer_en = models.CharField(_("footer in English"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("office profile")
        verbose_name_plural = _("office profiles")
        ordering = ["province_code"]
        # The national role's (register/roles.py): offices.scope.is_national reads it
        # from the permissions Django has already loaded for the page.
        permissions = [("read_every_province", _("Can read the records of every province"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(province_code__in=list(provinces.provinces())), name="officeprofile_province_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(iati_org_type__in=sorted(codes("OrganisationType"))),
                name="officeprofile_iati_type_valid",
            ),
            *(
                _not_blank(field)
                for field in (
                    "office_name",
                    "superior_body",
                    "heading_name",
                    "place",
                    "report_symbol",
                    "iati_org_name",
                    "iati_org_ref",
                    "site_title",
                )
            ),
        ]

    def __str__(self):
        return str(self.office_name)

    def clean(self):
        super().clean()
        if self.iati_org_ref and not valid_organisation_identifier(self.iati_org_ref):
            raise ValidationError(
                {
                    "iati_org_ref": _(
                        "Not an IATI organisation identifier: a code of IATI's registration agencies (VN-COA), a "
                        "hyphen and the office's own code, without spaces or / & | ?."
                    )
                }
            )

    # --- what the pages, the documents and the IATI file read -------------------------------------------------

    @property
    def province(self):
        """The province of the 2025 list (offices/provinces.py), or None on a profile not yet saved."""
        return provinces.province(self.province_code) if self.province_code else None

    @property
    def province_name(self):
        province = self.province
        return province.name if province else ""

    def _in_language(self, vietnamese, english):
        return english if english and translation.get_language() == "en" else vietnamese

    @property
    def shown_office_name(self):
        """The office's name in the reader's language."""
        return self._in_language(self.office_name, self.office_name_en)

    @property
    def shown_site_title(self):
        return self._in_language(self.site_title, self.site_title_en)

    @property
    def shown_footer(self):
        return self._in_language(self.footer, self.footer_en) or self.shown_office_name

    def issuer_lines(self):
        """A document heading's issuing body, parent first: ["UBND TỈNH CAO BẰNG", "SỞ NGOẠI VỤ"]."""
        return [*str(self.superior_body).splitlines(), str(self.heading_name)]

    def iati_reporting_org(self):
        return {"ref": self.iati_org_ref, "type": self.iati_org_type, "name": self.iati_org_name}


class StaffProfile(models.Model):
    """The province a user works for (offices.scope.office_of), and a limit of a
    staff member to the records of one local unit (and the units under it).

    Once local units carry their province (docs/PROVINCES.md, step 2), a unit
    limit must be a unit of the user's province."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="staff_profile"
    )
    # The column holds the province's code ("04"), as every record's province does.
    province = models.ForeignKey(
        "offices.OfficeProfile",
        verbose_name=_("province"),
        to_field="province_code",
        db_column="province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_profiles",
        help_text=_(
            "The province whose records the user works on. Blank: the database's only office; national users "
            "(the national role) read every province."
        ),
    )
    unit = models.ForeignKey(
        "partners.LocalUnit",
        verbose_name=_("limited to the unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Blank: the staff member works on the records of every unit."),
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self):
        return str(self.user)
