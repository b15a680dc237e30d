"""What each collection holds, each field of a record means and each money measure counts:
one sentence each, the one place the published descriptions are read from (the bundle's
datasette metadata and Data Package, through ``export.describe``).

Apart from ``vocabulary.py`` because no query needs these words: only an export reads them.
"""

from __future__ import annotations

# What the dataset holds, in a sentence (CITATION.cff's abstract says it at length).
DATASET_SUMMARY = (
    "The WePROTECT summits and related congresses, the pledges made there (money from "
    "governments, commitments from technology companies), the funds and programmes that "
    "followed, the countries those programmes run in, and the figures the sources quote: "
    "every fact with its source"
)

# What each money measure counts (``questions.money``'s columns), for the columns that hold
# them wherever the money is published.
MEASURE_MEANINGS: dict[str, str] = {
    "pledged": "money pledged: each top-level pledge once, by its own donor, date, recipient "
    "and programme",
    "committed": "money committed (an agreement or allocation signed, or a fund's approval), "
    "counted where and when it got there; money paid was committed too",
    "paid": "money a source says was transferred or spent, counted where and when it went",
    "granted": "money a fund granted out of its pool: apart, never added to the others, as "
    "its donors' pledges already hold it",
}

# What each collection holds: the description of its table wherever the data is published.
COLLECTION_MEANINGS: dict[str, str] = {
    "sources": "The documents the facts come from: every other record names its sources.",
    "organisations": "Governments and their ministries, companies, funds, agencies, alliances "
    "and groups that host events, pledge, receive money or lead programmes.",
    "countries": "The countries the records name, as ISO 3166-1 names them (or a display name "
    "the data gives), with their codes.",
    "events": "Summits, congresses, forums, launches, meetings and dated milestones.",
    "pledges": "Pledges: money a donor pledges (funding), money a fund grants out of its pool "
    "(grant), and promises to act without money (commitment).",
    "programmes": "Programmes that pledged money pays for, who leads them and the countries "
    "they reach.",
    "figures": "Statistics the sources quote, each with who measured it; figures that "
    "disagree name each other.",
    "rates": "Annual average exchange rates from a source, for currencies and years the "
    "ECB's table bundled with wpq lacks.",
}

# What each field of each record type means, by the type's name: one sentence, to which the
# type's own description is added (a vocabulary's values, a date's precision, an amount's
# units). A field whose model declaration has a description of its own is not here (a test
# holds every field to exactly one of the two).
FIELDS: dict[str, dict[str, str]] = {
    "Source": {
        "id": "The source's id, which records cite in their sources.",
        "title": "The document's title.",
        "publisher": "Who published it: for a copy read on another site, that site.",
        "author": "Who wrote it, where the document names an author.",
        "url": "Where it was read.",
        "published": "When it was published.",
        "original_publisher": "For a copy read on another site: who first published it.",
        "original_published": "For a copy: when the original was published.",
        "original_url": "For a copy: where the original was, if known.",
        "note": "What else to know about the source (a copy, an inferred date).",
    },
    "Organisation": {
        "id": "The organisation's id.",
        "name": "Its full name.",
        "short_name": "The shorter name its sources use, shown where a full name does not fit.",
        "kind": "What kind of organisation it is.",
        "country": "The country it belongs to, if one.",
        "aliases": "Other names it goes by: each one names it wherever a name is asked for.",
        "part_of": "The organisation it is part of: a ministry is part of its government.",
        "sources": "The sources that say what is recorded of it.",
        "note": "What else to know about it.",
    },
    "Country": {
        "code": "The country's code.",
        "iso3": "Its three-letter code.",
        "name": "Its name: ISO 3166-1's, or the display name the data gives.",
        "aliases": "Other names it goes by.",
    },
    "CountryEntry": {
        "code": "The country's code.",
        "iso3": "Its three-letter code, if given (ISO 3166-1's otherwise).",
        "aliases": "Other names it goes by.",
    },
    "Event": {
        "id": "The event's id.",
        "name": "Its name.",
        "kind": "What kind of event it is.",
        "start": "The day it began (or its date).",
        "end": "The day it ended, if it lasted more than a day.",
        "city": "The city it was held in.",
        "country": "The country it was held in.",
        "venue": "The building or place it was held in.",
        "hosts": "The organisations that hosted it.",
        "organisers": "The organisations that organised it, where they are not its hosts.",
        "participants": "How many took part, as the sources count them.",
        "speakers": "Who spoke there.",
        "outcomes": "What it led to, in short texts of our own.",
        "summary": "What it was, in our own words.",
        "aliases": "Other names it goes by.",
        "quotes": "Words said about it, verbatim, with who said them.",
        "disputes": "Other sources' values for its fields, kept beside ours.",
        "evidence": "Whether a source states what is recorded, or it is our inference.",
        "note": "What else to know: for an inference, how we read the sources.",
        "sources": "The sources that say what is recorded of it.",
    },
    "Participants": {
        "what": "What was counted (countries, companies, organisations, delegates).",
        "count": "How many, as the source gives it.",
        "qualifier": "How the source qualifies the count (over, about, ...), if it does.",
        "source": "The source of this count.",
        "note": "What else to know about the count.",
    },
    "Speaker": {
        "name": "The speaker's name.",
        "role": "Their role or title then.",
        "organisation": "The organisation they spoke for.",
        "source": "The source that names them.",
    },
    "Quote": {
        "text": "The words, verbatim.",
        "by": "Who said or wrote them.",
        "role": "Their role or title then.",
        "source": "Where the words were read.",
    },
    "Dispute": {
        "field": "The field of the record that another source gives otherwise.",
        "value": "The other source's value.",
        "sources": "The sources that give that value.",
        "note": "How the two differ, and why we keep ours.",
    },
    "Pledge": {
        "id": "The pledge's id.",
        "by": "The organisation that made the pledge (for money: the donor).",
        "with": "Organisations that made the pledge together with `by`.",
        "kind": "What kind of pledge it is.",
        "date": "When it was made or announced.",
        "summary": "What was pledged, in our own words.",
        "made_at": "The event it was made at, if any.",
        "amount": "How much money, in the currency given.",
        "currency": "The currency of the amount.",
        "to": "The organisation the money goes to (the recipient).",
        "programme": "The programme the money pays for.",
        "part_of": "The pledge this one is a tranche of: its money is part of that pledge's.",
        "period": "How long the money is spread over: a number of years or a span of dates.",
        "stage": "How far the money got, as its sources show.",
        "stage_evidence": "Whether a source states the stage, or it is our inference.",
        "stage_note": "What else to know about the stage: for an inference, our reading.",
        "evidence": "Whether a source states what is recorded, or it is our inference.",
        "note": "What else to know: for an inference, how we read the sources.",
        "quotes": "Words said about it, verbatim, with who said them.",
        "disputes": "Other sources' values for its fields, kept beside ours.",
        "sources": "The sources that say what is recorded of it.",
    },
    "Region": {
        "id": "The region's id within its programme.",
        "name": "The region's name, as the programme names it.",
        "note": "What else to know about the region.",
    },
    "ProgrammeCountry": {
        "country": "A country the programme reaches.",
        "region": "The programme's region the country is in.",
        "notes": "What the programme does there.",
        "evidence": "Whether a source states that the programme reaches it, or we infer it.",
        "sources": "The sources that say so, beside the programme's own.",
    },
    "Programme": {
        "id": "The programme's id.",
        "name": "Its name.",
        "lead": "The organisation that leads it.",
        "partners": "The organisations it works with.",
        "aliases": "Other names it goes by.",
        "regions": "The regions it groups its countries in.",
        "countries": "The countries it reaches.",
        "start": "When it began.",
        "end": "When it ended or ends.",
        "funded_by": "The pledges that pay for it.",
        "summary": "What it does, in our own words.",
        "evidence": "Whether a source states what is recorded, or it is our inference.",
        "note": "What else to know: for an inference, how we read the sources.",
        "sources": "The sources that say what is recorded of it.",
    },
    "Figure": {
        "id": "The figure's id.",
        "statement": "What the figure says, in our own words.",
        "value": "The number.",
        "unit": "What the number counts (reports, children, per cent).",
        "qualifier": "How the source qualifies the number (over, about, ...), if it does.",
        "value_text": "The number as the source words it, where that says more.",
        "period": "The time the figure covers.",
        "as_of": "The day the figure was true on.",
        "measured_by": "The organisation that measured or counted it.",
        "reported_by": "The organisation that published it, where not the one that measured.",
        "conflicts_with": "Other figures that disagree with this one.",
        "evidence": "Whether a source states what is recorded, or it is our inference.",
        "note": "What else to know about the figure.",
        "sources": "The sources that give it.",
    },
    "Rate": {
        "id": "The rate's id.",
        "currency": "The currency the rate is in.",
        "per": "The currency it is per one unit of.",
        "year": "The year whose average it is.",
        "note": "What else to know about the rate.",
        "sources": "The sources that give it.",
    },
}
