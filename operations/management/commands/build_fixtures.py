"""Write fixtures/*.json from fixtures/articles.py, the one place where the
articles' data is declared.

The JSON is what `loaddata` reads, so it must carry what `save()` would have
computed (the folded search text, the partner hierarchy path, the VND values):
loaddata saves rows raw. This command computes them; `--check` fails when the
committed JSON is not what the declarations produce.
"""

import json
import runpy
from collections import defaultdict
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import models

from common.collation import vietnamese_key
from common.text import search_blob

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
SEEDED_AT = "2024-10-01T00:00:00+07:00"

# (list name in articles.py, model label, output file). Order = pk assignment order.
TABLES = [
    ("SECTORS", "partners.sector", "10_partners.json"),
    ("SOURCES", "sources.source", "20_sources.json"),
    ("PARTNERS", "partners.partner", "10_partners.json"),
    ("LOCAL_UNITS", "partners.localunit", "10_partners.json"),
    ("MECHANISMS", "partners.cooperationmechanism", "10_partners.json"),
    ("REPORTED_FIGURES", "sources.reportedfigure", "20_sources.json"),
    ("DELEGATIONS", "delegations.delegation", "30_delegations.json"),
    ("AGREEMENTS", "agreements.agreement", "40_agreements.json"),
    ("PARTNERSHIPS", "agreements.partnership", "40_agreements.json"),
    ("PROJECTS", "projects.project", "50_projects.json"),
]
# Rows declared inside their parent: (parent list, key in the parent, model, file, FK to the parent).
CHILDREN = [
    ("DELEGATIONS", "members", "delegations.delegationmember", "30_delegations.json", "delegation"),
    ("AGREEMENTS", "updates", "agreements.agreementupdate", "40_agreements.json", "agreement"),
    ("PROJECTS", "participants", "projects.projectparticipant", "50_projects.json", "project"),
    ("PROJECTS", "transactions", "projects.transaction", "50_projects.json", "project"),
]
CITATIONS_FILE = "90_citations.json"
# The office whose records the articles' are, written by hand: its province code is every record's.
OFFICE_FILE = "00_office.json"
META_KEYS = {"key", "cite", "members", "updates", "participants", "transactions"}


class Builder:
    def __init__(self, data):
        self.data = data
        self.pks = {}  # key -> (model label, pk)
        self.rows = defaultdict(list)  # file -> fixture rows
        for source in data.get("SOURCES", []):
            body = source.get("body", "")
            if body.startswith("@@") and body.endswith("@@"):
                # The article's text file, kept verbatim in fixtures/articles/.
                source["body"] = (FIXTURES_DIR / "articles" / body[2:-2]).read_text(encoding="utf-8")
        self.bodies = {s["key"]: s.get("body", "") for s in data.get("SOURCES", [])}
        self.counts = defaultdict(int)
        (office,) = json.loads((FIXTURES_DIR / OFFICE_FILE).read_text(encoding="utf-8"))
        self.province = office["fields"]["province_code"]

    def ref(self, key, label):
        if key not in self.pks:
            raise CommandError(f"Unknown key {key!r} (expected a {label}).")
        found_label, pk = self.pks[key]
        if found_label != label:
            raise CommandError(f"Key {key!r} is a {found_label}, not a {label}.")
        return pk

    def assign_pks(self):
        for list_name, label, _file in TABLES:
            for i, item in enumerate(self.data.get(list_name, []), start=1):
                if item["key"] in self.pks:
                    raise CommandError(f"Duplicate key {item['key']!r}.")
                self.pks[item["key"]] = (label, i)

    def fields_of(self, model, item):
        out = {}
        for field in model._meta.get_fields():
            if field.name not in item or field.name in META_KEYS:
                continue
            value = item[field.name]
            if isinstance(field, models.ManyToManyField):
                out[field.name] = [self.ref(k, field.related_model._meta.label_lower) for k in value]
            elif isinstance(field, models.ForeignKey):
                out[field.name] = None if value is None else self.ref(value, field.related_model._meta.label_lower)
            else:
                out[field.name] = value
        unknown = set(item) - META_KEYS - {f.name for f in model._meta.get_fields()}
        if unknown:
            raise CommandError(f"{model.__name__} {item.get('key')}: unknown fields {sorted(unknown)}.")
        return out

    def computed(self, model, item, fields):
        names = {f.name for f in model._meta.get_fields()}
        if "province" in names:
            # Every record of the articles is the demo office's (fixtures/00_office.json).
            fields.setdefault("province", self.province)
        if "created_at" in names:
            fields.setdefault("created_at", SEEDED_AT)
            fields.setdefault("updated_at", SEEDED_AT)
        if "review_state" in names:
            # The articles' sources, figures, partners, units and mechanisms were
            # published with the articles: seeded approved and public (issue 13).
            fields.setdefault("review_state", "approved")
            fields.setdefault("is_public", True)
        if "search_text" in names:
            if model._meta.label_lower == "agreements.partnership":
                by_key = {i["key"]: i for i in self.data["LOCAL_UNITS"] + self.data["PARTNERS"]}
                fields["search_text"] = search_blob(
                    item.get("note", ""), by_key[item["local_unit"]]["name"], by_key[item["partner"]]["name"]
                )
            else:
                fields["search_text"] = search_blob(*(str(item.get(n) or "") for n in model.SEARCH_FIELDS))
        # The Vietnamese sort keys (common/sort_keys.py): loaddata writes rows without save().
        for column, source in getattr(model, "SORT_KEYS", {}).items():
            fields[column] = vietnamese_key(item.get(source) or "")
        if model._meta.label_lower == "partners.partner":
            fields["path"] = self.partner_path(item)
        # Amounts in đồng are their own VND value; other currencies declare theirs.
        in_vnd = item.get("currency", "VND") == "VND"
        label = model._meta.label_lower
        if label == "projects.project" and in_vnd and item.get("committed_amount") is not None:
            fields.setdefault("committed_vnd", item["committed_amount"])
        if label == "projects.transaction" and in_vnd:
            fields.setdefault("amount_vnd", item["amount"])
        return fields

    def partner_path(self, item):
        by_key = {p["key"]: p for p in self.data["PARTNERS"]}
        chain, node, seen = [], item, set()
        while node is not None:
            if node["key"] in seen:
                raise CommandError(f"Partner hierarchy loops at {node['key']!r}.")
            seen.add(node["key"])
            chain.append(self.pks[node["key"]][1])
            node = by_key.get(node.get("parent")) if node.get("parent") else None
        return "/" + "/".join(str(pk) for pk in reversed(chain)) + "/"

    def check_excerpt(self, source_key, excerpt, where):
        body = self.bodies.get(source_key)
        if body is None:
            raise CommandError(f"{where}: unknown source {source_key!r}.")
        if not excerpt or excerpt not in body:
            raise CommandError(f"{where}: excerpt is not a verbatim quote of {source_key}: {excerpt!r}")

    def build(self):
        self.assign_pks()
        citations = []
        for list_name, label, filename in TABLES:
            model = apps.get_model(label)
            for item in self.data.get(list_name, []):
                pk = self.pks[item["key"]][1]
                fields = self.computed(model, item, self.fields_of(model, item))
                if label == "sources.reportedfigure":
                    self.check_excerpt(item["source"], item["excerpt"], item["key"])
                self.rows[filename].append({"model": label, "pk": pk, "fields": fields})
                self.counts[label] += 1
                for source_key, excerpt in item.get("cite", []):
                    self.check_excerpt(source_key, excerpt, item["key"])
                    citations.append((label, pk, source_key, excerpt))
        for parent_list, attr, label, filename, fk in CHILDREN:
            model = apps.get_model(label)
            pk = 0
            for parent in self.data.get(parent_list, []):
                for child in parent.get(attr, []):
                    pk += 1
                    fields = self.computed(model, child, self.fields_of(model, child))
                    fields[fk] = self.pks[parent["key"]][1]
                    self.rows[filename].append({"model": label, "pk": pk, "fields": fields})
                    self.counts[label] += 1
        for pk, (label, object_pk, source_key, excerpt) in enumerate(citations, start=1):
            app_label, model_name = label.split(".")
            self.rows[CITATIONS_FILE].append(
                {
                    "model": "sources.citation",
                    "pk": pk,
                    "fields": {
                        "content_type": [app_label, model_name],
                        "object_id": object_pk,
                        "source": self.ref(source_key, "sources.source"),
                        "excerpt": excerpt,
                        "locator": "",
                    },
                }
            )
            self.counts["sources.citation"] += 1
        return {name: json.dumps(rows, ensure_ascii=False, indent=1) + "\n" for name, rows in self.rows.items()}


class Command(BaseCommand):
    help = "Write fixtures/*.json from the declarations in fixtures/articles.py (or --check that they match)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Fail if the JSON files are out of date.")
        parser.add_argument("--dry-run", action="store_true", help="Build and report, write nothing.")

    def handle(self, *args, check=False, dry_run=False, **options):
        data = {k: v for k, v in runpy.run_path(str(FIXTURES_DIR / "articles.py")).items() if k.isupper()}
        builder = Builder(data)
        outputs = builder.build()
        stale = [
            n
            for n, text in outputs.items()
            if not (FIXTURES_DIR / n).exists() or (FIXTURES_DIR / n).read_text(encoding="utf-8") != text
        ]
        if check:
            if stale:
                raise CommandError(f"Out of date: {', '.join(sorted(stale))}. Run manage.py build_fixtures.")
            self.stdout.write("Fixtures are up to date.")
            return
        if not dry_run:
            for name in stale:
                (FIXTURES_DIR / name).write_text(outputs[name], encoding="utf-8")
        for label, n in sorted(builder.counts.items()):
            self.stdout.write(f"{label}: {n}")
        verb = "Would write" if dry_run else "Wrote"
        self.stdout.write(f"{verb} {len(stale)} of {len(outputs)} files.")
