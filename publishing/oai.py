"""OAI-PMH 2.0 data provider at /oai/: libraries and aggregators harvest briefs.

What a harvester sees:

- Records are public editions (`Edition.objects.public()`), one per brief,
  with Dublin Core (`oai_dc`) metadata read from the citation record the
  edition stored (`record_from_json`): the same names, date and version as
  the page, the cite files, the PDF and the export.
- A withdrawn brief that was once public stays in the lists as a deleted
  record (header `status="deleted"`, no metadata) for good, built from its
  withdrawn edition (`Edition.objects.withdrawn()`), the same edition that
  serves its tombstone page and its citation files: the repository declares
  `deletedRecord` `persistent`. Drafts and scheduled briefs never appear, not
  even as identifiers.
- A trashed brief is absent, even one that had been public: the trash is an
  editor's reversible hold, an edition records no time of trashing to date a
  deleted record with, and the leak tests hold that nothing in the trash
  shows anywhere. Withdrawal is the way to take a public brief back, and it
  is what harvesters are told about.
- A record's datestamp is the release of its current edition (a correction
  moves it; a brief scheduled for Friday gets Friday, so an incremental
  harvest run on Saturday with `from=Thursday` finds it); a deleted record's
  is the moment of withdrawal. Granularity is seconds, in UTC.
- Language: `dc:language` is the ISO 639 three-letter code ("eng", "srp"),
  which is the same in ISO 639-2/B, 639-2/T and 639-3 for both languages:
  what OpenAIRE's guidelines ask for (639-3) and what BASE and the DRIVER
  guidelines read (639-2/639-3); the script is no language and goes in
  `xml:lang` instead. A Serbian brief's title and description are given in
  both scripts, each marked `sr-Cyrl` or `sr-Latn` (BCP 47), the script its
  editor wrote in first, so a catalogue in either script finds it.
- Sets are the topics of harvestable records (`setSpec` = topic slug); a
  topic no public or withdrawn edition refers to is no set.
- Lists are cut into pages of `settings.OAI_PAGE_SIZE`. A resumption token is
  stateless: the original arguments and the last (datestamp, id) delivered,
  signed with `django.core.signing` so it cannot be forged. Paging is by key,
  not offset, and the first request fixes the upper datestamp bound, so a
  brief published or edited during a harvest neither shifts pages nor is
  delivered twice; the next incremental harvest picks it up.
- Bad input answers with the protocol's error codes in a 200 response, as the
  protocol requires, never with a server error.
"""

import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlparse

from django.conf import settings
from django.core import signing
from django.db.models import Min, Prefetch, Q
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from briefs.models import Topic
from languages import codes
from publishing.citations import CitationRecord, record_from_json, record_in
from publishing.models import Edition, EditionQuerySet

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"

METADATA_FORMATS = {
    "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC_NS),
}

# Per verb: required arguments and optional ones. `resumptionToken` is
# exclusive wherever it is allowed.
VERBS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "Identify": (frozenset(), frozenset()),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"})),
    "ListSets": (frozenset(), frozenset({"resumptionToken"})),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset()),
    "ListIdentifiers": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set", "resumptionToken"}),
    ),
    "ListRecords": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set", "resumptionToken"}),
    ),
}

# The schema's patterns for metadataPrefix and setSpec: a value outside them is
# an illegal argument, and echoing it in <request> would make the response invalid.
METADATA_PREFIX_RE = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
SET_SPEC_RE = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")
# Characters a URI may hold (RFC 3986), so that an identifier we echo is an anyURI.
IDENTIFIER_RE = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]{1,500}")
DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
SECONDS_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
# Characters XML 1.0 cannot carry; lxml refuses them, so they are dropped.
XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

TOKEN_SALT = "publishing.oai.resumption"
DATESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class OAIError(Exception):
    """A protocol error, reported in the response's <error> element."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ListState:
    """Everything a list request needs; what a resumption token carries."""

    verb: str
    prefix: str
    start: datetime.datetime | None  # inclusive lower datestamp bound
    end: datetime.datetime  # exclusive upper bound, fixed by the first request
    set_spec: str | None
    after: tuple[datetime.datetime, int] | None = None  # (datestamp, brief id) last
    cursor: int = 0  # records delivered before this page

    def dumps(self) -> str:
        return signing.dumps(
            {
                "v": self.verb,
                "m": self.prefix,
                "f": self.start.isoformat() if self.start else None,
                "u": self.end.isoformat(),
                "s": self.set_spec,
                "a": [self.after[0].isoformat(), self.after[1]] if self.after else None,
                "c": self.cursor,
            },
            salt=TOKEN_SALT,
            compress=True,
        )

    @classmethod
    def loads(cls, token: str, *, verb: str) -> "ListState":
        try:
            data = signing.loads(token, salt=TOKEN_SALT)
            after = data["a"]
            state = cls(
                verb=data["v"],
                prefix=data["m"],
                start=datetime.datetime.fromisoformat(data["f"]) if data["f"] else None,
                end=datetime.datetime.fromisoformat(data["u"]),
                set_spec=data["s"],
                after=(datetime.datetime.fromisoformat(after[0]), int(after[1]))
                if after
                else None,
                cursor=int(data["c"]),
            )
        except (signing.BadSignature, KeyError, TypeError, ValueError, IndexError):
            raise OAIError(
                "badResumptionToken", "The resumption token is invalid."
            ) from None
        if state.verb != verb:
            raise OAIError(
                "badResumptionToken", f"This resumption token is not for {verb}."
            )
        return state


# Which briefs a harvester may see --------------------------------------------


def harvestable_editions(at: datetime.datetime | None = None) -> EditionQuerySet:
    """Public editions and withdrawn ones (tombstones), each with its `datestamp`.

    One current edition per brief, so a brief is one record. A tombstone's
    datestamp is its withdrawal (always after its release), so an
    incremental harvest learns of the deletion.
    """
    at = at or timezone.now()
    tombstones = Edition.objects.withdrawn().filter(withdrawn_at__lte=at)
    return (Edition.objects.public(at) | tombstones).annotate(
        datestamp=Coalesce("withdrawn_at", "released_at")
    )


def repository_identifier() -> str:
    """The host name of the public site: "oai:<this>:briefs/12"."""
    return urlparse(settings.SITE_URL).hostname or "localhost"


def oai_identifier(brief_id: int) -> str:
    return f"oai:{repository_identifier()}:briefs/{brief_id}"


def _brief_pk(identifier: str) -> int:
    match = re.fullmatch(
        rf"oai:{re.escape(repository_identifier())}:briefs/(\d{{1,18}})", identifier
    )
    if not match:
        raise OAIError("idDoesNotExist", f"No item has the identifier {identifier}.")
    return int(match[1])


# Requests --------------------------------------------------------------------


def _parse_arguments(params: QueryDict) -> tuple[str, dict[str, str]]:
    verbs = params.getlist("verb")
    if len(verbs) != 1:
        raise OAIError("badVerb", "Give exactly one verb argument.")
    verb = verbs[0]
    if verb not in VERBS:
        raise OAIError("badVerb", f"{verb!r} is not an OAI-PMH verb.")
    args: dict[str, str] = {}
    for key in params:
        if key == "verb":
            continue
        values = params.getlist(key)
        if len(values) != 1:
            raise OAIError("badArgument", f"The argument {key} is repeated.")
        args[key] = values[0]
    required, optional = VERBS[verb]
    unknown = sorted(args.keys() - required - optional)
    if unknown:
        raise OAIError(
            "badArgument", f"{verb} does not take {', '.join(unknown)} arguments."
        )
    if "resumptionToken" in args:
        if len(args) > 1:
            raise OAIError("badArgument", "resumptionToken is an exclusive argument.")
    else:
        missing = sorted(required - args.keys())
        if missing:
            raise OAIError(
                "badArgument", f"{verb} requires the {', '.join(missing)} argument."
            )
    for key, value in args.items():
        if not value:
            raise OAIError("badArgument", f"The argument {key} is empty.")
    if "metadataPrefix" in args and not METADATA_PREFIX_RE.fullmatch(
        args["metadataPrefix"]
    ):
        raise OAIError("badArgument", "metadataPrefix has illegal characters.")
    if "set" in args and not SET_SPEC_RE.fullmatch(args["set"]):
        raise OAIError("badArgument", "set is not a valid setSpec.")
    if "identifier" in args and not IDENTIFIER_RE.fullmatch(args["identifier"]):
        raise OAIError("badArgument", "identifier is not a valid identifier.")
    return verb, args


def _parse_datestamp(value: str, name: str) -> tuple[datetime.datetime, str]:
    """A datestamp argument as an aware UTC datetime and its granularity."""
    try:
        if DAY_RE.fullmatch(value):
            day = datetime.date.fromisoformat(value)
            return datetime.datetime.combine(day, datetime.time(), datetime.UTC), "day"
        if SECONDS_RE.fullmatch(value):
            moment = datetime.datetime.strptime(value, DATESTAMP_FORMAT)
            return moment.replace(tzinfo=datetime.UTC), "seconds"
    except ValueError:
        pass
    raise OAIError(
        "badArgument",
        f"{name} must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, not {value!r}.",
    )


def _list_state(verb: str, args: dict[str, str]) -> ListState:
    if "resumptionToken" in args:
        return ListState.loads(args["resumptionToken"], verb=verb)
    prefix = args["metadataPrefix"]
    if prefix not in METADATA_FORMATS:
        raise OAIError("cannotDisseminateFormat", f"{prefix} is not supported.")
    start = end = None
    if "from" in args:
        start, start_granularity = _parse_datestamp(args["from"], "from")
    if "until" in args:
        until, until_granularity = _parse_datestamp(args["until"], "until")
        if start is not None and start_granularity != until_granularity:
            raise OAIError(
                "badArgument", "from and until must have the same granularity."
            )
        if start is not None and start > until:
            raise OAIError("badArgument", "from is later than until.")
        # `until` is inclusive at its own granularity: the whole day or second.
        step = (
            datetime.timedelta(days=1)
            if until_granularity == "day"
            else datetime.timedelta(seconds=1)
        )
        try:
            end = until + step
        except OverflowError:  # until=9999-12-31: the end of time is the bound
            end = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    # Without `until`, the harvest covers what exists when it starts.
    end = end or timezone.now()
    return ListState(
        verb=verb, prefix=prefix, start=start, end=end, set_spec=args.get("set")
    )


# XML -------------------------------------------------------------------------


def _text(value: str) -> str:
    return XML_ILLEGAL_RE.sub("", value)


def _sub(parent: etree._Element, tag: str, text: str = "", **attrs: str):
    element = etree.SubElement(parent, tag, {k: v for k, v in attrs.items() if v})
    if text:
        element.text = _text(text)
    return element


def _datestamp(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime(DATESTAMP_FORMAT)


def _header(parent: etree._Element, edition: Edition) -> None:
    header = etree.SubElement(parent, f"{{{OAI_NS}}}header")
    if edition.withdrawn_at is not None:
        header.set("status", "deleted")
    _sub(header, f"{{{OAI_NS}}}identifier", oai_identifier(edition.brief_id))
    _sub(header, f"{{{OAI_NS}}}datestamp", _datestamp(edition.datestamp))
    # A deleted record keeps its sets, so that a harvest by set learns of it.
    for topic in sorted(edition.topics.all(), key=lambda t: t.slug):
        _sub(header, f"{{{OAI_NS}}}setSpec", topic.slug)


def dublin_core(record: CitationRecord) -> etree._Element:
    """Simple Dublin Core (oai_dc) for a brief, from its citation record."""
    dc = etree.Element(
        f"{{{OAI_DC_NS}}}dc",
        nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS},
    )
    dc.set(
        f"{{{XSI_NS}}}schemaLocation",
        f"{OAI_DC_NS} {METADATA_FORMATS['oai_dc'][0]}",
    )
    lang = f"{{{XML_NS}}}lang"

    def add(name: str, value: str, language: str = "") -> None:
        if value:
            _sub(
                dc,
                f"{{{DC_NS}}}{name}",
                value,
                **({lang: language} if language else {}),
            )

    # A Serbian brief in the script it was written in, then in the other.
    other = None
    if codes.is_serbian(record.language):
        reader = codes.content_public_language(record.language)
        other_code = (
            codes.SERBIAN_LATIN
            if reader.code == codes.SERBIAN_CYRILLIC
            else codes.SERBIAN_CYRILLIC
        )
        other = record_in(record, other_code)
    add("title", record.title, record.language)
    if other is not None and other.title != record.title:
        add("title", other.title, other.language)
    for name in record.authors:
        add("creator", name.inverted)
    for contributor in record.contributors:
        add("contributor", contributor.name.inverted)
    for keyword in record.keywords:
        add("subject", keyword)
    add("description", record.abstract, record.language)
    if other is not None and other.abstract != record.abstract:
        add("description", other.abstract, other.language)
    if record.version_label:
        add(
            "description",
            f"{record.version_label[0].upper()}{record.version_label[1:]}.",
        )
    add("publisher", record.publisher, "en")
    if record.publisher_local:
        # The Serbian name in Cyrillic, marked as such for catalogues.
        add("publisher", record.publisher_local, "sr-Cyrl")
    if record.issued:
        add("date", record.issued.isoformat())
    add("type", "Text")
    add("type", record.genre)
    add("format", "text/html")
    add("format", "application/pdf")
    add("identifier", record.url)
    add("identifier", record.doi_url)
    add("identifier", record.pdf_url)
    add("language", codes.content_public_language(record.language).iso639_2)
    add("rights", record.licence_url or record.licence)
    return dc


def _record(parent: etree._Element, edition: Edition) -> None:
    record = etree.SubElement(parent, f"{{{OAI_NS}}}record")
    _header(record, edition)
    if edition.withdrawn_at is None:
        metadata = etree.SubElement(record, f"{{{OAI_NS}}}metadata")
        metadata.append(dublin_core(record_from_json(edition.citation)))


# What a header needs; a record adds the stored citation. Never the body.
_HEADER_FIELDS = ("brief_id", "released_at", "withdrawn_at")


def _for_page(queryset: EditionQuerySet, *, with_metadata: bool) -> EditionQuerySet:
    """What a page shows, in the same few queries however long it is."""
    fields = (*_HEADER_FIELDS, "citation") if with_metadata else _HEADER_FIELDS
    return queryset.only(*fields).prefetch_related(
        Prefetch("topics", queryset=Topic.objects.only("slug"))
    )


# Verbs -----------------------------------------------------------------------


def _identify(response: etree._Element, base_url: str) -> None:
    earliest = harvestable_editions().aggregate(earliest=Min("datestamp"))["earliest"]
    identify = etree.SubElement(response, f"{{{OAI_NS}}}Identify")
    _sub(
        identify, f"{{{OAI_NS}}}repositoryName", f"{settings.PUBLISHER['name']} archive"
    )
    _sub(identify, f"{{{OAI_NS}}}baseURL", base_url)
    _sub(identify, f"{{{OAI_NS}}}protocolVersion", "2.0")
    _sub(identify, f"{{{OAI_NS}}}adminEmail", settings.OAI_ADMIN_EMAIL)
    _sub(
        identify,
        f"{{{OAI_NS}}}earliestDatestamp",
        _datestamp(earliest) if earliest else "2000-01-01T00:00:00Z",
    )
    # Withdrawn briefs stay listed as deleted records for as long as the archive exists.
    _sub(identify, f"{{{OAI_NS}}}deletedRecord", "persistent")
    _sub(identify, f"{{{OAI_NS}}}granularity", "YYYY-MM-DDThh:mm:ssZ")


def _list_metadata_formats(response: etree._Element, args: dict[str, str]) -> None:
    if "identifier" in args:
        pk = _brief_pk(args["identifier"])
        if not harvestable_editions().filter(brief_id=pk).exists():
            raise OAIError(
                "idDoesNotExist", f"No item has the identifier {args['identifier']}."
            )
    formats = etree.SubElement(response, f"{{{OAI_NS}}}ListMetadataFormats")
    for prefix, (schema, namespace) in METADATA_FORMATS.items():
        element = etree.SubElement(formats, f"{{{OAI_NS}}}metadataFormat")
        _sub(element, f"{{{OAI_NS}}}metadataPrefix", prefix)
        _sub(element, f"{{{OAI_NS}}}schema", schema)
        _sub(element, f"{{{OAI_NS}}}metadataNamespace", namespace)


def _list_sets(response: etree._Element, args: dict[str, str]) -> None:
    if "resumptionToken" in args:
        # The list of sets always fits in one response; no token was ever issued.
        raise OAIError("badResumptionToken", "The resumption token is invalid.")
    topics = list(
        Topic.objects.filter(editions__in=harvestable_editions().values("pk"))
        .distinct()
        .order_by("slug")
    )
    if not topics:
        raise OAIError("noSetHierarchy", "This repository has no sets yet.")
    sets = etree.SubElement(response, f"{{{OAI_NS}}}ListSets")
    for topic in topics:
        element = etree.SubElement(sets, f"{{{OAI_NS}}}set")
        _sub(element, f"{{{OAI_NS}}}setSpec", topic.slug)
        _sub(element, f"{{{OAI_NS}}}setName", topic.name)


def _get_record(response: etree._Element, args: dict[str, str]) -> None:
    if args["metadataPrefix"] not in METADATA_FORMATS:
        raise OAIError(
            "cannotDisseminateFormat", f"{args['metadataPrefix']} is not supported."
        )
    pk = _brief_pk(args["identifier"])
    edition = _for_page(
        harvestable_editions().filter(brief_id=pk), with_metadata=True
    ).first()
    if edition is None:
        raise OAIError(
            "idDoesNotExist", f"No item has the identifier {args['identifier']}."
        )
    _record(etree.SubElement(response, f"{{{OAI_NS}}}GetRecord"), edition)


def _list(response: etree._Element, verb: str, args: dict[str, str]) -> None:
    """ListIdentifiers and ListRecords: one page, and a token for the next."""
    state = _list_state(verb, args)
    queryset = harvestable_editions().filter(datestamp__lt=state.end)
    if state.start is not None:
        queryset = queryset.filter(datestamp__gte=state.start)
    if state.set_spec is not None:
        queryset = queryset.filter(topics__slug=state.set_spec)
    total = queryset.count()
    page_query = queryset
    if state.after is not None:
        last_datestamp, last_pk = state.after
        page_query = page_query.filter(
            Q(datestamp__gt=last_datestamp)
            | Q(datestamp=last_datestamp, brief_id__gt=last_pk)
        )
    size = settings.OAI_PAGE_SIZE
    page_query = _for_page(
        page_query.order_by("datestamp", "brief_id"),
        with_metadata=verb == "ListRecords",
    )
    page = list(page_query[: size + 1])
    if not page and state.after is None:
        raise OAIError("noRecordsMatch", "No records match these arguments.")
    more, page = len(page) > size, page[:size]

    container = etree.SubElement(response, f"{{{OAI_NS}}}{verb}")
    for edition in page:
        if verb == "ListRecords":
            _record(container, edition)
        else:
            _header(container, edition)
    if more or state.after is not None:
        token = etree.SubElement(container, f"{{{OAI_NS}}}resumptionToken")
        token.set("cursor", str(state.cursor))
        if total:
            token.set("completeListSize", str(total))
        if more:
            last = page[-1]
            token.text = ListState(
                verb=verb,
                prefix=state.prefix,
                start=state.start,
                end=state.end,
                set_spec=state.set_spec,
                after=(last.datestamp, last.brief_id),
                cursor=state.cursor + len(page),
            ).dumps()
        # The last page carries an empty token: the list is complete.


# The endpoint ----------------------------------------------------------------


def _response_root(base_url: str) -> tuple[etree._Element, etree._Element]:
    root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(
        f"{{{XSI_NS}}}schemaLocation",
        f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd",
    )
    _sub(root, f"{{{OAI_NS}}}responseDate", _datestamp(timezone.now()))
    request_element = _sub(root, f"{{{OAI_NS}}}request", base_url)
    return root, request_element


# Harvesters may POST (the protocol allows it and the `oaipmh` client does by
# default). No request changes anything, so there is nothing for CSRF to protect.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request: HttpRequest) -> HttpResponse:
    """The OAI-PMH 2.0 base URL."""
    base_url = request.build_absolute_uri(request.path)
    params = request.POST if request.method == "POST" else request.GET
    root, request_element = _response_root(base_url)
    try:
        verb, args = _parse_arguments(params)
        # Echo the arguments only once they are known to be legal; after
        # badVerb or badArgument the protocol wants the bare base URL.
        request_element.set("verb", verb)
        for key, value in args.items():
            request_element.set(key, _text(value))
        if verb == "Identify":
            _identify(root, base_url)
        elif verb == "ListMetadataFormats":
            _list_metadata_formats(root, args)
        elif verb == "ListSets":
            _list_sets(root, args)
        elif verb == "GetRecord":
            _get_record(root, args)
        else:
            _list(root, verb, args)
    except OAIError as error:
        if error.code in {"badVerb", "badArgument"}:
            request_element.attrib.clear()
        for child in root[2:]:
            root.remove(child)
        _sub(root, f"{{{OAI_NS}}}error", error.message, code=error.code)
    body = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
    return HttpResponse(body, content_type="text/xml; charset=utf-8")
