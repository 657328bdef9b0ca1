"""Step 3 of the engine (engine.py): each row's cells read into the register's columns.

Each mapped column's cells are read as its target says (values.py: people, dates, terms,
counts, amounts, choices, places; notes under their headings); the words of a choice column
the register does not know become questions for the clerk; the places are resolved to
partners (places.py); a delegations list titled "ĐOÀN RA" gets its direction, a projects
list with no column of kinds its kind, and a row with no title one in the office's style.
"""

from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from common.partial_dates import DatePrecision, format_partial_input
from common.text import fold
from register.office_import import amounts, money, transactions, values
from register.office_import import fields as vocabulary
from register.office_import.mapping import choice_options, choice_words, is_register_heading, target_of
from register.office_import.places import resolve_places
from register.office_import.plans import Question, blank, cell, text_of


def read_rows(plan):
    kind = plan.kind
    by_target = {}
    for column in plan.columns:
        by_target.setdefault(column.target, []).append(column)
    plan.questions = build_questions(plan, by_target)
    answers = {q.target: q for q in plan.questions}
    for column in plan.columns:
        column.note_heading = note_heading(plan.kind, column)
    transactions.explain(plan)
    for row in plan.rows:
        read_row(plan, row, by_target, answers)
        transactions.read(plan, row, by_target)
    resolve_places(plan)
    default_direction(plan, by_target)
    default_project_kind(plan, by_target)
    for row in plan.rows:
        if not row.data.get("title") and "title" in {c.key for c in vocabulary.register_columns(kind)}:
            title = generated_title(plan, row)
            if title:
                row.data["title"] = title
                row.shown["title"] = title


def read_row(plan, row, by_target, answers):
    notes = []
    signed = None
    term = None
    for key, columns in by_target.items():
        target = target_of(plan.kind, key)
        if target is None or target.reader in (vocabulary.IGNORE, vocabulary.TRANSACTION):
            continue  # a money column per period: transactions.read()
        for column in columns:
            value = cell(row, column)
            if blank(value):
                continue
            try:
                if target.reader == vocabulary.NOTES:
                    notes.append(f"{column.note_heading}: {text_of(value)}" if column.note_heading else text_of(value))
                elif target.reader == "person":
                    name, title = values.split_person(text_of(value))
                    set_value(row, "leader_name", name)
                    if title and not row.data.get("leader_title"):
                        set_value(row, "leader_title", title)
                elif target.reader == "text" and key == "leader_name":
                    name, title = values.split_person(text_of(value))
                    if not (name and title):  # a name alone ("Nguyễn Công Trưởng"): as written
                        name, title = text_of(value), ""
                    set_value(row, "leader_name", name)
                    if title and "leader_title" not in by_target:
                        set_value(row, "leader_title", title)
                elif target.reader == "dates":
                    found = values.parse_date_range(value)
                    if found is not None:
                        start, end, precision = target.writes
                        set_date(row, start, found.start, found.precision)
                        set_date(row, end, found.end, found.precision)
                        row.data[precision] = found.precision
                elif target.reader == "date":
                    found = values.parse_date(value)
                    if found is not None:
                        set_date(row, key, found.date, found.precision)
                        if key == "signed_on":
                            signed = found
                elif target.reader == "term":
                    term = (values.parse_term(value), column, text_of(value))
                elif target.reader == "count":
                    set_value(row, target.writes[0], values.parse_count(value))
                elif target.reader == "amount":
                    unit = amounts.unit_in(column.heading)[1] or money.sheet_unit(plan.title_text)
                    found = values.parse_amount(value, unit)
                    if found is not None:
                        amount, currency = found
                        set_value(row, target.writes[0], amount)
                        if currency and len(target.writes) > 1:
                            set_value(row, target.writes[1], currency)
                        row.shown[target.writes[0]] = transactions.shown_amount(amount, currency)
                elif target.reader == "choice":
                    code = answer(answers.get(key), value)
                    if code is None:
                        row.error(
                            column.letter,
                            _("Choose what “%(value)s” means in the list of values of column %(letter)s above.")
                            % {"value": text_of(value), "letter": column.letter},
                        )
                    elif code:
                        set_value(row, target.column or key, code)
                        row.shown[target.column or key] = dict(answers[key].options).get(code, code)
                elif target.reader == "places":
                    row.chains.append((key, column.letter, values.split_places(text_of(value))))
                else:  # text, name, raw: as written; the resource reads and checks it
                    if key in row.data and isinstance(row.data[key], str) and target.repeatable:
                        row.data[key] += "\n" + text_of(value)
                    else:
                        row.data[key] = value if target.reader == "raw" else text_of(value)
                    row.shown[key] = text_of(value)
            except values.CellError as error:
                row.error(column.letter, str(error))
    if plan.kind.key == "agreements" and not row.data.get("kind"):
        row.data["kind"] = (
            kind_from_title(plan, row.data.get("title", "")) or plan.choices.defaults.get("kind") or "other"
        )
        row.shown["kind"] = dict(choice_options(plan.kind, plan.kind.target("kind"))).get(row.data["kind"], "")
    for key, code in plan.choices.defaults.items():
        target = target_of(plan.kind, key)
        if target is not None and code and not row.data.get(target.column or key):
            set_value(row, target.column or key, code)
            row.shown[target.column or key] = dict(choice_options(plan.kind, target)).get(code, code)
    if term is not None:
        parsed, column, text = term
        try:
            found = values.expiry(parsed, signed) if parsed is not None else None
        except values.CellError as error:
            signing = {c.letter for c in by_target.get("signed_on", [])}
            if not any(letter in signing for letter, _message in row.errors):  # a wrong signing date is said once
                row.error(column.letter, str(error))
        else:
            model = import_string(plan.kind.resource)._meta.model
            if found is not None and (found.precision == DatePrecision.DAY or "expires_on" in model.PARTIAL_DATES):
                set_date(row, "expires_on", found.date, found.precision)
                row.shown["term"] = text
            elif found is not None:  # the expiry is known to the month or year only: kept in words
                notes.append(
                    _("%(heading)s: %(term)s (expires in %(when)s)")
                    % {
                        "heading": column.heading,
                        "term": text,
                        "when": format_partial_input(found.date, found.precision),
                    }
                )
    if notes:
        notes_key = plan.kind.notes_column
        existing = row.data.get(notes_key)
        row.data[notes_key] = "\n".join([*([existing] if existing else []), *notes])
        row.shown[notes_key] = row.data[notes_key]


def note_heading(kind, column):
    """What a note read from ``column`` is written under: its heading, except for
    the register's own notes column, whose cells are the notes as they are."""
    own = (
        column.heading
        and vocabulary.target_for(kind, column.heading) == vocabulary.NOTES
        and is_register_heading(kind, kind.notes_column, column.heading)
    )
    return "" if own else column.heading


def kind_from_title(plan, title):
    """An agreement's kind from the first words of its title ("Biên bản ghi nhớ ..." → MoU)."""
    folded = fold(title)
    best = ("", None)
    for code, words in choice_words(plan.kind, plan.kind.target("kind")).items():
        for word in words:
            word = fold(word)
            if len(word) > 6 and folded.startswith(word) and len(word) > len(best[0]):
                best = (word, code)
    return best[1]


def set_value(row, key, value):
    if value in (None, ""):
        return
    row.data[key] = value
    row.shown[key] = text_of(value)


def set_date(row, key, date, precision):
    if date is None:
        return
    row.data[key] = date if precision == DatePrecision.DAY else format_partial_input(date, precision)
    row.shown[key] = format_partial_input(date, precision)
    row.shown[f"{key}_precision"] = precision
    row.__dict__.setdefault("iso", {})[key] = (date.isoformat(), precision)


def answer(question, value):
    """The code a choice cell becomes: "" for blank, None while unanswered."""
    if question is None:
        return None
    key = fold(text_of(value))
    for word in question.words:
        if word["key"] == key:
            return word["code"]
    return None


def build_questions(plan, by_target):
    questions = []
    for key, columns in by_target.items():
        target = target_of(plan.kind, key)
        if target is None or target.reader != "choice":
            continue
        known = choice_words(plan.kind, target)
        chosen = plan.choices.values.get(key, {})
        counts, texts = {}, {}
        for row in plan.rows:
            for column in columns:
                value = cell(row, column)
                if blank(value):
                    continue
                word = fold(text_of(value))
                counts[word] = counts.get(word, 0) + 1
                texts.setdefault(word, text_of(value))
        question = Question(
            key,
            str(target.label),
            [c.letter for c in columns],
            choice_options(plan.kind, target),
            default=plan.choices.defaults.get(key, ""),
        )
        for word, count in sorted(counts.items(), key=lambda item: -item[1]):
            automatic = values.choice_for(texts[word], known)
            code = chosen.get(word, automatic)
            question.words.append(
                {"key": word, "text": texts[word], "rows": count, "code": code, "known": automatic is not None}
            )
        questions.append(question)
    return questions


def default_direction(plan, by_target):
    """A list titled "DANH SÁCH ĐOÀN RA" is a list of outbound delegations."""
    if plan.kind.key != "delegations" or "direction" in plan.choices.defaults:
        return
    title = fold(plan.title_text)
    outbound, inbound = "doan ra" in title, "doan vao" in title
    if outbound != inbound:
        code = plan.choices.defaults["direction"] = "out" if outbound else "in"
        label = dict(choice_options(plan.kind, target_of(plan.kind, "direction"))).get(code, code)
        for row in plan.rows:  # shown as on the pages that follow, where the default comes from the form
            if "direction" not in row.data:
                row.data["direction"], row.shown["direction"] = code, label


def default_project_kind(plan, by_target):
    """A list with no column of kinds titled "DANH SÁCH CÁC DỰ ÁN ODA" is a list of ODA
    projects; when the title names no kind (or two), the clerk is asked the kind of
    every row (the register needs one)."""
    if plan.kind.key != "projects" or "kind" in by_target:
        return
    target = plan.kind.target("kind")
    if not plan.choices.defaults.get("kind"):
        title = f" {money.compact(plan.title_text)} "
        found = {
            code
            for code, words in choice_words(plan.kind, target).items()
            for word in words
            if money.compact(word) and f" {money.compact(word)} " in title
        }
        if len(found) != 1:
            plan.questions.append(Question("kind", str(target.label), [], choice_options(plan.kind, target)))
            plan.problems.append(_("Choose the kind of the projects above: the list has no column of kinds."))
            return
        plan.choices.defaults["kind"] = found.pop()
    code = plan.choices.defaults["kind"]
    plan.questions.append(Question("kind", str(target.label), [], choice_options(plan.kind, target), default=code))
    for row in plan.rows:
        if not row.data.get("kind"):
            row.data["kind"] = code
            row.shown["kind"] = dict(choice_options(plan.kind, target)).get(code, code)


def generated_title(plan, row):
    """A title in the office's style when the list has none."""
    data = row.data
    leader = " ".join(part for part in (data.get("leader_title", ""), data.get("leader_name", "")) if part)
    places = " và ".join(row.__dict__.get("place_names", {}).get("partners", []))
    if plan.kind.key == "delegations":
        direction = data.get("direction", "")
        if direction == "out":
            return " ".join(part for part in ("Đoàn", leader, f"đi {places}" if places else "") if part)
        if direction == "in":
            if places and leader:
                return f"Đoàn {places} do {leader} dẫn đầu"
            return f"Đoàn {places or leader} đến làm việc" if (places or leader) else ""
        if direction == "border":
            return f"Hội đàm với {places}" if places else ""
        return " ".join(part for part in ("Đoàn", leader, places) if part) if (leader or places) else ""
    if plan.kind.key == "agreements":
        kind = {"mou": "Bản ghi nhớ", "minutes": "Biên bản", "agreement": "Thỏa thuận"}.get(data.get("kind"), "Văn bản")
        return f"{kind} hợp tác với {places}" if places else ""
    return ""
