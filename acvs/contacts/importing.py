"""Contact imports: a file (import_files), its column mapping, a dry run line by line, then an all-or-nothing commit.

The matching rule is the prospect file's: a line whose email or phone an office's contact already holds merges
into that contact (blank fields filled, addresses, tags, interests and consents added; nothing overwritten); lines
of the file sharing an email or a phone become one contact. The dry run and the commit run the same plan, so what
the dry run announces is what the commit writes; the commit plans again in its transaction (the file may have been
checked hours before) and writes nothing while a line not left out is refused.

Imported consents are recorded with the method "import" and their stated origin. An email consent imported this way
is still to be confirmed by the person (double opt-in): the event records what the source stated, nothing more.
"""

import functools
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from acvs.core import bulk, jobs
from acvs.core.models import AuditEntry
from acvs.desk import reference
from acvs.desk.models import Theme
from acvs.network import rules
from acvs.network.models import Commune, Membership
from acvs.network.selectors import place_index, place_key

from . import import_files, optin
from .models import (
    ConsentEvent,
    ConsentMethod,
    Contact,
    ContactEmail,
    ContactImport,
    ContactPhone,
    ImportMapping,
    Purpose,
    Source,
    Tag,
)
from .services import normalise_phone

# What a column can be mapped to; several columns may feed a name or an address (joined), emails, phones, tags and
# interests (each cell may hold several, separated by , or ;).
FIELDS = {
    "name": gettext_lazy("Name"),
    "email": gettext_lazy("Email"),
    "phone": gettext_lazy("Phone"),
    "address": gettext_lazy("Postal address"),
    "postcode": gettext_lazy("Postcode"),
    "commune": gettext_lazy("Commune (INSEE code or name)"),
    "country": gettext_lazy("Country"),
    "language": gettext_lazy("Language"),
    "tags": gettext_lazy("Tags"),
    "interests": gettext_lazy("Interests"),
    "consent_newsletter": gettext_lazy("Consent: office newsletter"),
    "consent_request": gettext_lazy("Consent: contact about the request"),
    "consent_network": gettext_lazy("Consent: département and network"),
}
REPEATABLE = {"name", "email", "phone", "address", "tags", "interests"}
CONSENTS = {"consent_newsletter": Purpose.NEWSLETTER, "consent_request": Purpose.REQUEST,
            "consent_network": Purpose.NETWORK}  # fmt: skip
# Column names as offices write them (compared without case, accents nor punctuation).
GUESSES = {
    "name": {"nom", "name", "prenom", "nom complet", "nom prenom", "prenom nom", "full name", "first name",
             "last name", "raison sociale"},
    "email": {"email", "e mail", "mail", "courriel", "adresse email", "adresse e mail", "adresse mail",
              "adresse courriel", "emails"},
    "phone": {"telephone", "tel", "phone", "portable", "mobile", "telephone portable", "telephones", "gsm"},
    "address": {"adresse", "address", "adresse postale", "rue", "adresse 1", "adresse 2", "complement d adresse"},
    "postcode": {"code postal", "cp", "postcode", "zip", "code postal cp"},
    "commune": {"commune", "ville", "city", "code insee", "insee", "localite"},
    "country": {"pays", "country"},
    "language": {"langue", "language"},
    "tags": {"tags", "etiquettes", "etiquette", "tag"},
    "interests": {"interets", "centres d interet", "interests", "themes"},
    "consent_newsletter": {"newsletter", "consentement newsletter", "optin newsletter", "opt in newsletter"},
    "consent_request": {"consentement demande", "contact demande"},
    "consent_network": {"consentement reseau", "newsletter reseau", "communications reseau"},
}  # fmt: skip
YES = {"oui", "o", "yes", "y", "1", "true", "vrai", "x"}
NO = {"non", "n", "no", "0", "false", "faux"}
SPLIT = re.compile(r"[;,|]")
INSEE = re.compile(r"^(\d[\dAB]\d{3})$", re.IGNORECASE)
LIMITS = {"name": 150, "address": 300, "postcode": 10}


def guess_columns(header: list[str]) -> dict[str, str]:
    keys = {f: {place_key(w) for w in words} for f, words in GUESSES.items()}
    found = {}
    for index, name in enumerate(header):
        key = place_key(name)
        for field_name, words in keys.items():
            if key in words and (field_name in REPEATABLE or field_name not in found.values()):
                found[str(index)] = field_name
                break
    return found


def _check(membership: Membership) -> None:
    if not rules.can_use_contacts(membership):
        raise PermissionDenied(_("Your role does not give access to the contacts."))


def _check_run(membership: Membership, run: ContactImport) -> None:
    _check(membership)
    if run.office_id != membership.office_id:
        raise PermissionDenied(_("Only the office that imported this file can go on with it."))


# Steps a user takes -------------------------------------------------------------------------------------------------


def import_upload(*, membership: Membership, name: str, content: bytes, source: str) -> ContactImport:
    """Read the file (import_files.FileRefused when it cannot be read at all); its columns are mapped as the last
    file of the same source was, else guessed from their names."""
    _check(membership)
    table = import_files.read(name, content)
    source = source.strip() or name
    saved = ImportMapping.objects.filter(office=membership.office, source=source[:100]).first()
    if saved:
        columns = {str(i): saved.columns[h] for i, h in enumerate(table.header) if saved.columns.get(h) in FIELDS}
    else:
        columns = guess_columns(table.header)
    return ContactImport.objects.create(
        office=membership.office, started_by=membership.user, filename=name[:200], source=source[:100],
        encoding=table.encoding, header=table.header, rows=table.rows, columns=columns,
    )  # fmt: skip


def validate_columns(columns: dict[str, str], origin: str, consent_text: str) -> None:
    errors = {}
    fields = list(columns.values())
    if "email" not in fields and "phone" not in fields:
        errors["__all__"] = _(
            "No column is mapped to the email nor to the phone: a line needs one to be matched with a contact. "
            "Map the email column (or the phone's)."
        )
    twice = sorted({f for f in fields if fields.count(f) > 1 and f not in REPEATABLE})
    if twice:
        message = _("Only one column can be the %(fields)s.") % {"fields": ", ".join(str(FIELDS[f]) for f in twice)}
        errors["__all__"] = f"{errors['__all__']} {message}" if "__all__" in errors else message
    if any(f in CONSENTS for f in fields):
        if not origin.strip():
            errors["origin"] = _("Consent columns are mapped: state where these consents were collected.")
        if not consent_text.strip():
            errors["consent_text"] = _("Consent columns are mapped: give the wording the people agreed to.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def import_map(*, membership, run: ContactImport, columns: dict[str, str], origin: str, consent_text: str):
    """Keep the mapping (and remember it for the source's next files), then check the file."""
    _check_run(membership, run)
    _refuse_if_done(run)
    columns = {k: v for k, v in columns.items() if v in FIELDS and k.isdigit() and int(k) < len(run.header)}
    validate_columns(columns, origin, consent_text)
    run.columns, run.origin, run.consent_text = columns, origin.strip(), consent_text.strip()
    run.save(update_fields=["columns", "origin", "consent_text"])
    ImportMapping.objects.update_or_create(
        office=membership.office, source=run.source,
        defaults={"columns": {run.header[int(i)]: f for i, f in columns.items() if run.header[int(i)]}},
    )  # fmt: skip
    return _start(membership, run, CHECK)


@transaction.atomic
def import_exclude(*, membership, run: ContactImport, exclude: set[int], include: set[int], refused: bool = False):
    """Leave lines out (or take them back), every refused one with `refused`, then check the file again."""
    _check_run(membership, run)
    _refuse_if_done(run)
    if not run.columns:
        raise ValidationError(_("Map the columns first."))
    excluded = (set(run.excluded) - include) | exclude
    if refused:
        excluded |= {line[0] for line in run.report if line[1] == "refuse"}
    run.excluded = sorted(n for n in excluded if 2 <= n <= len(run.rows) + 1)
    run.save(update_fields=["excluded"])
    return _start(membership, run, CHECK)


@transaction.atomic
def import_commit(*, membership: Membership, run: ContactImport):
    _check_run(membership, run)
    run = ContactImport.objects.select_for_update().get(pk=run.pk)
    _refuse_if_done(run)
    if run.status != ContactImport.Status.CHECKED:
        raise ValidationError(_("Check the file (dry run) before importing it."))
    if run.counts()["refuse"]:
        raise ValidationError(_("Some lines are refused: correct the file, or leave those lines out."))
    return _start(membership, run, COMMIT)


def _refuse_if_done(run: ContactImport) -> None:
    if run.status == ContactImport.Status.COMMITTED:
        raise ValidationError(_("This file has already been imported."))
    busy = run.status in (ContactImport.Status.CHECKING, ContactImport.Status.COMMITTING)
    if busy and run.job_id and not run.job.is_finished:
        raise ValidationError(_("This file is being worked on: wait for the end."))


def _start(membership: Membership, run: ContactImport, step: str) -> ContactImport:
    """Small files are worked on at once; larger ones by the worker, the page following its progress."""
    run.status = ContactImport.Status.CHECKING if step == CHECK else ContactImport.Status.COMMITTING
    if len(run.rows) <= settings.ACVS_CONTACT_IMPORT_INLINE_LINES:
        run.job = None
        run.save(update_fields=["status", "job"])
        (check if step == CHECK else commit)(run, membership)
        run.refresh_from_db()
        return run
    from . import tasks

    run.job = jobs.job_start(membership=membership, kind=tasks.IMPORT, target=run, params={"step": step},
                             total=len(run.rows))  # fmt: skip
    run.save(update_fields=["status", "job"])
    return run


CHECK, COMMIT = "check", "commit"


def import_work(job, progress) -> str:
    """The job's work: the dry run or the commit of its import, as its starter now may."""
    from acvs.network.selectors import acting_membership

    membership = acting_membership(job)
    run = ContactImport.objects.get(pk=job.target_id)
    _check_run(membership, run)
    if run.status == ContactImport.Status.COMMITTED:  # a retry of a job whose file was imported since
        return _("This file has already been imported.")
    if job.params.get("step") == COMMIT:
        run = commit(run, membership, progress)
        if run.status == ContactImport.Status.REFUSED:
            raise jobs.JobFailed(_("Nothing was imported: some lines are now refused (see the report)."))
        return _("Imported.")
    check(run, membership, progress)
    return _("Checked.")


# The plan -----------------------------------------------------------------------------------------------------------


@dataclass
class Line:
    number: int
    fields: dict = field(default_factory=dict)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    interests: list[int] = field(default_factory=list)
    consents: dict[str, bool] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.fields.get("name") or next(iter(self.emails + self.phones), "")

    def as_json(self) -> dict:
        return {"n": self.number, "f": self.fields, "e": self.emails, "p": self.phones, "t": self.tags,
                "i": self.interests, "c": self.consents}  # fmt: skip

    @classmethod
    def from_json(cls, d: dict) -> "Line":
        return cls(d["n"], d["f"], d["e"], d["p"], d["t"], d["i"], d["c"])


@dataclass(eq=False)
class Group:
    """The lines that make one contact: an existing one (`contact`) or one to create (`new`)."""

    contact: int | None
    first: int  # the first line
    lines: list[Line] = field(default_factory=list)
    new: bool = False


class _Reference:
    """What lines are checked against, read once per plan."""

    def __init__(self):
        self.countries = {**{place_key(n): c for c, n in reference.countries().items()},
                          **{c.lower(): c for c in reference.countries()}}  # fmt: skip
        self.languages = {**{place_key(n): c for c, n in reference.languages().items()},
                          **{c.lower(): c for c in reference.languages()}}  # fmt: skip
        self.themes = {}
        for code, label, pk in Theme.objects.values_list("code", "label", "pk"):
            self.themes[place_key(code)] = self.themes[place_key(label)] = self.themes[place_key(_(label))] = pk
        self.key = functools.lru_cache(maxsize=20_000)(place_key)  # the same places and words come back
        self.places = place_index()
        self.by_insee = {p.insee: p for p in self.places.places}
        self.by_name_postcode = {(p.key, pc): p for p in self.places.places for pc in p.postcodes}

    def commune(self, text: str, postcode: str):
        if INSEE.match(text):
            return self.by_insee.get(text.upper())
        key = self.key(text)
        if postcode:
            return self.by_name_postcode.get((key, postcode))
        return self.places.by_key.get(key)


def _parse(number: int, cells: list[str], columns: dict[int, str], ref: _Reference) -> Line:
    """One line of the file, checked; ValidationError with the line's reasons."""
    line, problems, parts = Line(number), [], {}
    for index, name in columns.items():
        value = cells[index].strip() if index < len(cells) else ""
        if value:
            parts.setdefault(name, []).append(value)
    for name in ("name", "address"):
        if name in parts:
            line.fields[name] = " ".join(parts[name]) if name == "name" else ", ".join(parts[name])
    if "postcode" in parts:
        line.fields["postcode"] = parts["postcode"][0]
    for name, limit in LIMITS.items():
        if len(line.fields.get(name, "")) > limit:
            problems.append(_("%(field)s longer than %(limit)s characters.") % {"field": FIELDS[name], "limit": limit})
    for value in (v.strip() for cell in parts.get("email", []) for v in SPLIT.split(cell) if v.strip()):
        try:
            validate_email(value)
        except ValidationError:
            problems.append(_("Not a valid email address: %(value)s.") % {"value": value})
        else:
            line.emails.append(value.lower())
    for value in (v.strip() for cell in parts.get("phone", []) for v in SPLIT.split(cell) if v.strip()):
        try:
            line.phones.append(normalise_phone(value))
        except ValidationError:
            problems.append(_("Not a valid phone number: %(value)s.") % {"value": value})
    line.emails, line.phones = list(dict.fromkeys(line.emails)), list(dict.fromkeys(line.phones))
    if not (line.emails or line.phones) and not problems:
        problems.append(_("No email nor phone: the line cannot be matched with a contact."))
    if "commune" in parts:
        place = ref.commune(parts["commune"][0], line.fields.get("postcode", ""))
        if place is None:
            problems.append(_("Unknown commune: %(value)s.") % {"value": parts["commune"][0]})
        else:
            line.fields["commune_id"] = place.insee
            line.fields.setdefault("postcode", place.postcode)
    unknown = {"country": _("Unknown country: %(value)s."), "language": _("Unknown language: %(value)s.")}
    for name, table in (("country", ref.countries), ("language", ref.languages)):
        if name in parts:
            value = parts[name][0]
            code = table.get(value.lower()) or table.get(ref.key(value))
            if code is None:
                problems.append(unknown[name] % {"value": value})
            else:
                line.fields[name] = code
    line.tags = list(dict.fromkeys(v.strip() for cell in parts.get("tags", []) for v in SPLIT.split(cell)))
    line.tags = [t for t in line.tags if t]
    if any(len(t) > 60 for t in line.tags):
        problems.append(_("A tag is longer than 60 characters."))
    for value in (v.strip() for cell in parts.get("interests", []) for v in SPLIT.split(cell) if v.strip()):
        if (theme := ref.themes.get(ref.key(value))) is None:
            problems.append(_("Unknown interest: %(value)s.") % {"value": value})
        elif theme not in line.interests:
            line.interests.append(theme)
    for name, purpose in CONSENTS.items():
        if name in parts:
            value = ref.key(parts[name][0])
            if value in YES or value in NO:
                line.consents[purpose] = value in YES
            else:
                problems.append(
                    _("%(field)s: “%(value)s” is neither yes nor no.")
                    % {"field": FIELDS[name], "value": parts[name][0]}
                )
    if problems:
        raise ValidationError(problems)
    return line


def _owners(model, attr: str, office_id: int, values: set[str]) -> dict[str, int]:
    """Which contact of the office holds each value (emails or phones, normalised), read in chunks. In SQL, because
    the phone field would parse every number again (a tenth of a millisecond each); the office is in the query."""
    owners, values = {}, sorted(values)
    sql = f"SELECT {attr}, contact_id FROM {model._meta.db_table} WHERE office_id = %s AND {attr} IN "
    with connection.cursor() as cursor:
        for start in range(0, len(values), 5000):
            chunk = values[start : start + 5000]
            cursor.execute(sql + f"({', '.join(['%s'] * len(chunk))})", [office_id, *chunk])
            owners.update(cursor.fetchall())
    return owners


def parse_lines(run: ContactImport, progress=None) -> list:
    """Each line read and checked on its own: a `Line`, or its report entry (left out, repeated, refused)."""
    ref, excluded = _Reference(), set(run.excluded)
    columns = {int(i): f for i, f in run.columns.items()}
    width, total = len(run.header), len(run.rows)
    parsed: list[Line | list] = []
    seen_rows: dict[tuple, int] = {}
    names = [i for i, f in columns.items() if f == "name"] or [i for i, f in columns.items() if f in ("email", "phone")]

    def label(cells: list[str]) -> str:  # who a line left out or refused is about, as the file says
        return " ".join(cells[i] for i in names if i < len(cells) and cells[i])[:100]

    for offset, cells in enumerate(run.rows):
        number = offset + 2
        if number in excluded:
            parsed.append([number, "exclude", None, None, "", label(cells)])
            continue
        if len(cells) > width:
            reason = _("%(n)s cells where the header has %(width)s columns.") % {"n": len(cells), "width": width}
            parsed.append([number, "refuse", None, None, reason, label(cells)])
            continue
        same = seen_rows.setdefault(tuple(cells), offset)
        if same != offset:
            earlier = parsed[same]
            if isinstance(earlier, Line):
                reason = _("Same line as line %(n)s.") % {"n": same + 2}
                parsed.append([number, "duplicate", None, same + 2, reason, earlier.label])
            else:  # the same refusal
                parsed.append([number, "refuse", None, None, earlier[4], earlier[5]])
            continue
        try:
            parsed.append(_parse(number, cells, columns, ref))
        except ValidationError as error:
            parsed.append([number, "refuse", None, None, " ".join(error.messages), label(cells)])
        if progress and offset % 1000 == 0:
            progress(offset // 2, total)
    return parsed


def plan(run: ContactImport, parsed: list, progress=None) -> tuple[list[list], list[Group]]:
    """The report line by line ([line, action, contact, earlier line, reason, label]) and the contacts to write:
    the lines matched with the office's contacts as they are now, and with each other."""
    total = len(parsed)
    lines = [p for p in parsed if isinstance(p, Line)]
    emails = _owners(ContactEmail, "email", run.office_id, {e for ln in lines for e in ln.emails})
    phones = _owners(ContactPhone, "phone", run.office_id, {p for ln in lines for p in ln.phones})
    report, groups = [], []
    by_key: dict[str, Group] = {}  # an email or phone → its group
    by_contact: dict[int, Group] = {}
    for offset, item in enumerate(parsed):
        if not isinstance(item, Line):
            report.append(item)
            continue
        keys = [("e", e) for e in item.emails] + [("p", p) for p in item.phones]
        contacts = {owner for kind, v in keys if (owner := (emails if kind == "e" else phones).get(v))}
        hit = {id(g): g for k in keys if (g := by_key.get(k))}
        targets = {g.contact if g.contact else f"line {g.first}" for g in hit.values()} | contacts
        if len(targets) > 1:
            report.append([item.number, "refuse", None, None, _conflict(item, emails, phones, by_key), item.label])
            continue
        if contacts:
            contact = contacts.pop()
            group = by_contact.get(contact)
            if group is None:
                group = by_contact[contact] = Group(contact=contact, first=item.number)
                groups.append(group)
            report.append([item.number, "merge", contact, None, "", item.label])
        elif hit:
            group = next(iter(hit.values()))
            report.append([item.number, "merge", group.contact, None if group.contact else group.first, "",
                           item.label])  # fmt: skip
        else:
            group = Group(contact=None, first=item.number, new=True)
            groups.append(group)
            report.append([item.number, "create", None, None, "", item.label])
        group.lines.append(item)
        for k in keys:
            by_key[k] = group
        if progress and offset % 1000 == 0:
            progress(total // 2 + offset // 2, total)
    return report, groups


def _conflict(line: Line, emails: dict, phones: dict, by_key: dict) -> str:
    where = []
    for kind, values, owners in (("e", line.emails, emails), ("p", line.phones, phones)):
        for value in values:
            if owner := owners.get(value):
                where.append(_("%(value)s belongs to contact #%(contact)s") % {"value": value, "contact": owner})
            elif group := by_key.get((kind, value)):
                where.append(_("%(value)s is on line %(line)s") % {"value": value, "line": group.first})
    return _("This line joins contacts that are not the same: %(where)s. Correct the file or leave one line out.") % {
        "where": "; ".join(where)
    }


def check(run: ContactImport, membership: Membership, progress=None) -> ContactImport:
    """The dry run: the report of what the commit would do, nothing written but the report."""
    parsed = parse_lines(run, progress)
    report, _groups = plan(run, parsed, progress)
    # The commit matches the lines again (the office's contacts may have changed) but need not read them again.
    run.parsed = [p.as_json() if isinstance(p, Line) else p for p in parsed]
    run.report, run.status = report, ContactImport.Status.CHECKED
    run.save(update_fields=["report", "status", "parsed"])
    return run


# The commit ---------------------------------------------------------------------------------------------------------

IDENTITY = ("name", "address", "postcode", "commune_id", "country", "language")


def commit(run: ContactImport, membership: Membership, progress=None) -> ContactImport:
    """Plan again and write every line in one transaction, or nothing while a line not left out is refused."""
    with transaction.atomic():
        run = ContactImport.objects.select_for_update().get(pk=run.pk)
        if run.parsed:
            parsed = [Line.from_json(p) if isinstance(p, dict) else p for p in run.parsed]
        else:
            parsed = parse_lines(run, progress)
        report, groups = plan(run, parsed, progress)
        run.report = report
        if any(line[1] == "refuse" for line in report):
            run.status = ContactImport.Status.REFUSED
        else:
            created = _write(run, membership, groups)
            for line in report:  # the contact each created line (and the lines merged with it) became
                if line[1] in ("create", "merge") and line[2] is None:
                    line[2] = created[line[0]]
            run.status, run.committed_at = ContactImport.Status.COMMITTED, timezone.now()
        run.save(update_fields=["report", "status", "committed_at"])
    return run


def _merged_fields(group: Group) -> dict:
    """The group's identity fields: for each, the first line that has a value."""
    fields = {}
    for line in group.lines:
        for name, value in line.fields.items():
            fields.setdefault(name, value)
    return fields


def _write(run: ContactImport, membership: Membership, groups: list[Group]) -> dict[int, int]:
    office = run.office_id
    communes = {line.fields["commune_id"] for g in groups for line in g.lines if "commune_id" in line.fields}
    departments = dict(Commune.objects.filter(insee__in=communes).values_list("insee", "department_id"))
    new = [g for g in groups if g.new]
    contacts = []
    for g in new:
        fields = _merged_fields(g)
        if fields.get("commune_id"):
            fields["department_id"] = departments.get(fields["commune_id"])
        contacts.append(Contact(office_id=office, source=Source.IMPORT, **fields))
    bulk.insert(Contact, contacts)
    for g, contact in zip(new, contacts, strict=True):
        g.contact = contact.pk
    _fill_blanks(office, [g for g in groups if not g.new], departments)
    emails = {v: g.contact for g in groups for line in g.lines for v in line.emails}
    held = _owners(ContactEmail, "email", office, set(emails))
    bulk.insert(ContactEmail, [ContactEmail(office_id=office, contact_id=c, email=v) for v, c in emails.items()
                               if v not in held])  # fmt: skip
    phones = {v: g.contact for g in groups for line in g.lines for v in line.phones}
    held = _owners(ContactPhone, "phone", office, set(phones))
    # Numbers already in E.164, written as they are: the phone field would parse each one twice.
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {ContactPhone._meta.db_table} (office_id, contact_id, phone) VALUES (%s, %s, %s)",
            [[office, c, v] for v, c in phones.items() if v not in held],
        )
    _links(run, groups)
    now = timezone.now()
    events, to_confirm = [], []
    for g in groups:
        language = _merged_fields(g).get("language", "")
        for line in g.lines:
            for purpose, given in line.consents.items():
                pending = given and optin.needs_confirmation(purpose, ConsentMethod.IMPORT)
                if pending and not line.emails:
                    continue  # nothing can confirm it, so nothing is consented (as at the counter by phone)
                event = ConsentEvent(office_id=office, contact_id=g.contact, purpose=purpose, given=given, at=now,
                                     method=ConsentMethod.IMPORT, origin=run.origin, by=membership.user,
                                     text=run.consent_text, pending=pending)  # fmt: skip
                events.append(event)
                if pending:
                    to_confirm.append((event, line.emails[0], language))
    ConsentEvent.objects.insert(events)
    # The person confirms what the source stated (double opt-in): the mails go once the import has committed.
    optin.ask_many(to_confirm, by=membership.user)
    _audit(run, membership, groups)
    return {line.number: g.contact for g in new for line in g.lines}


def _fill_blanks(office: int, groups: list[Group], departments: dict) -> None:
    """Existing contacts keep what they hold; the file fills what is blank."""
    changed, names = [], set()
    found = {}
    ids = [g.contact for g in groups]
    for start in range(0, len(ids), 5000):
        found |= Contact.objects.filter(office_id=office).in_bulk(ids[start : start + 5000])
    for g in groups:
        contact, dirty = found[g.contact], False
        for name, value in _merged_fields(g).items():
            if name != "language" and not getattr(contact, name):
                setattr(contact, name, value)
                names.add(name)
                dirty = True
                if name == "commune_id" and not contact.department_id:
                    contact.department_id = departments.get(value)
                    names.add("department_id")
        if dirty:
            changed.append(contact)
    if changed:  # one statement per contact, sent together (bulk_update's CASE grows with the rows)
        names = sorted(names)
        sets = ", ".join(f"{n} = %s" for n in names)
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {Contact._meta.db_table} SET {sets} WHERE id = %s",
                               [[getattr(c, n) for n in names] + [c.pk] for c in changed])  # fmt: skip


def _links(run: ContactImport, groups: list[Group]) -> None:
    names = {t for g in groups for line in g.lines for t in line.tags}
    existing = dict(Tag.objects.filter(office_id=run.office_id, name__in=names).values_list("name", "pk"))
    Tag.objects.bulk_create([Tag(office_id=run.office_id, name=n) for n in sorted(names - set(existing))])
    tags = dict(Tag.objects.filter(office_id=run.office_id, name__in=names).values_list("name", "pk"))
    TagLink, InterestLink = Contact.tags.through, Contact.interests.through
    TagLink.objects.bulk_create(
        list({(g.contact, tags[t]): TagLink(contact_id=g.contact, tag_id=tags[t])
              for g in groups for line in g.lines for t in line.tags}.values()),
        batch_size=2000, ignore_conflicts=True,
    )  # fmt: skip
    InterestLink.objects.bulk_create(
        list({(g.contact, i): InterestLink(contact_id=g.contact, theme_id=i)
              for g in groups for line in g.lines for i in line.interests}.values()),
        batch_size=2000, ignore_conflicts=True,
    )  # fmt: skip


def _audit(run: ContactImport, membership: Membership, groups: list[Group]) -> None:
    """The history of each contact the file completed says which file and lines did it. A contact the file created
    is an import's (its source) and the import's report names it: 100,000 more history rows would cost a third of
    the commit's time (docs/performance.md)."""
    kind, label = ContentType.objects.get_for_model(Contact), _("import")
    entries = []
    for g in groups:
        if g.new:
            continue
        lines = ", ".join(str(line.number) for line in g.lines[:20])
        text = _("%(file)s, lines %(lines)s") % {"file": run.filename, "lines": lines}
        entries.append(AuditEntry(content_type=kind, object_id=g.contact, action=AuditEntry.Action.UPDATE,
                                  user=membership.user,
                                  office_id=run.office_id,
                                  changes=[{"field": "import", "label": label, "old": "", "new": text}]))  # fmt: skip
    bulk.insert(AuditEntry, entries)
