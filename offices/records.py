"""What belongs to a province (docs/PROVINCES.md): every record, link, local
unit, mechanism, source and reported figure carries the office that holds it.

``province`` is a foreign key to ``OfficeProfile`` by its ``province_code``
(``to_field``), stored in a column named ``province``: the column holds the
code ("20"), so an export, a tally or a URL reads it without a join, and the
database refuses a row of a province that has no office.

Who sets it:

- a new record made without one takes the install's only office
  (``home_province``), so an install with one office behaves as it always has:
  fixtures, the seed, a test's ``objects.create`` and a clerk's form;
- on a database of several offices there is no such default: the admin stamps
  the user's province (register/record_admin.py), an import the importer's, the synthetic
  generator the one it spreads the row to; a national user chooses;
- a row that reaches ``save()`` with none is refused with a sentence that says
  what to do, before the database refuses it with a constraint's name."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from offices.profile import only_office


def home_province():
    """The province code of the database's only office, or None when it has none or several."""
    office = only_office()
    return office.province_code if office is not None else None


class NoProvince(ValidationError):
    """A record saved with no province, on a database with no office or several."""


def no_province_error():
    return NoProvince(
        {
            "province": _(
                "Choose the province the record belongs to. (A database with no office yet needs one first: "
                "`manage.py start_province`, or Office > Office profiles in the admin.)"
            )
        }
    )


class ProvinceRecord(models.Model):
    """The province a row belongs to (see the module's docstring)."""

    province = models.ForeignKey(
        "offices.OfficeProfile",
        verbose_name=_("province"),
        to_field="province_code",
        db_column="province",
        on_delete=models.PROTECT,
        related_name="+",
        default=home_province,
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.stamp_province()
        super().save(*args, **kwargs)

    def stamp_province(self):
        """What ``save()`` does before it writes (register/import_bulk.py repeats it for a bulk insert)."""
        if self.province_id is None:
            self.province_id = home_province()
            if self.province_id is None:
                raise no_province_error()


def range_indexes(prefix, include):
    """A tally's two covering indexes for its readers' sums of one grain within a date range
    (reports/tally.py ``within``), read from the index alone: ``<prefix>_grain_period_idx``
    over every province (the national view, a database of one office), and
    ``<prefix>_prov_period_idx`` led by the province (a province's users, its /p/<code>/
    pages: its rows only). ``include`` names the columns the sums read, ``province`` among them."""
    return [
        models.Index(fields=["grain", "period"], include=include, name=f"{prefix}_grain_period_idx"),
        models.Index(
            fields=["province", "grain", "period"],
            include=[column for column in include if column != "province"],
            name=f"{prefix}_prov_period_idx",
        ),
    ]
