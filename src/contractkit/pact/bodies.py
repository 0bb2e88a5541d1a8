"""Bodies that are not JSON, compared as the Pact core compares them: plain text, XML, form urlencoded, multipart
and binary. Each function yields `Mismatch`es with the body's path, like the JSON walk in `matching`.

- text: a rule on `$` matches the whole text, else it must be equal.
- XML: read as the core reads it (a text is split at entity references and each piece trimmed); an element or
  attribute in a namespace is named `namespace-uri:local` whatever its prefix, so a rule on a namespaced body reads
  `$['urn:x:root']['urn:x:item']['#text']`; the roots must have the same name; an element's children are grouped by
  name (order does not matter, extra children are allowed, but a child of a name the pact does not have is not under
  a type rule), a rule on `$.root.item` governs those children (its min/max count each one's own child nodes, as
  the core counts them), attributes are `$.root.item['@id']` and the text is `$.root.item['#text']`, both matched
  as texts.
- form: every parameter of the pact must be there with its values (a rule on `$.name` matches each value) and
  no parameter the pact does not name may be.
- multipart: every part of the pact (by name) must be there with the same content type; its content is matched as a
  text (a rule on `$.name`), extra parts are allowed.
- binary: a `contentType` rule on `$` checks the bytes' media type (magic numbers), else the bytes must be equal.

`literal="type"` (the fuzzer's consumer check) drops the equality of what no rule governs.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from typing import Iterator, Mapping, Sequence
from urllib.parse import parse_qsl

from contractkit.pact.formats import media_matches
from contractkit.pact.matching import (
    Mismatch,
    Rule,
    RuleSet,
    Segment,
    matcher_kind,
    matches_text_rule,
    render_path,
    rule_matchers,
    size_problem,
)

__all__ = [
    "iter_binary_mismatches",
    "iter_form_mismatches",
    "iter_multipart_mismatches",
    "iter_text_mismatches",
    "iter_xml_mismatches",
    "media_parameters",
    "parameter_header_problem",
]


def _mismatch(path: Sequence[Segment], problem: str, detail: str = "") -> Mismatch:
    where = render_path(path)
    return Mismatch(where, f"{where} {problem}", f"{where} {detail or problem}")


def _text(rules: RuleSet, path: tuple[Segment, ...], expected: str, actual: str) -> Iterator[Mismatch]:
    """One text value: the rule governing `path`, else equality (unless compared by type)."""
    selected = rules.select(path)
    if selected is not None:
        problem = matches_text_rule(selected[0], expected, actual)
        if problem is not None:
            yield _mismatch(path, problem, f"is {_shown(actual)}: it {problem}")
    elif rules.literal == "equal" and expected != actual:
        yield _mismatch(path, "is not the expected value", f"is {_shown(actual)}, the pact expects {_shown(expected)}")


def _shown(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def iter_text_mismatches(expected: str, actual: str, rules: RuleSet) -> Iterator[Mismatch]:
    """A plain-text body."""
    yield from _text(rules, (), expected, actual)


def iter_binary_mismatches(expected: bytes, actual: bytes, rules: RuleSet) -> Iterator[Mismatch]:
    """A binary body: the rule on `$` (contentType checks the media type of the bytes), else byte equality."""
    selected = rules.select(())
    if selected is not None:
        for matcher in rule_matchers(selected[0]):
            if matcher_kind(matcher) == "contentType":
                problem = media_matches(actual, str(matcher.get("value", "")))
                if problem:
                    yield _mismatch((), f"is not {matcher.get('value')}", problem)
            else:
                yield from _text(
                    RuleSet((((), {"matchers": [matcher]}),), rules.literal),
                    (),
                    expected.decode("utf-8", "replace"),
                    actual.decode("utf-8", "replace"),
                )
    elif rules.literal == "equal" and expected != actual:
        yield _mismatch((), "is not the expected body", f"has {len(actual)} byte(s) unlike the pact's {len(expected)}")


# ---------------------------------------------------------------- XML


def _name(tag: str) -> str:
    """An element's or attribute's name as the core writes it: `namespace-uri:local` (`{urn:x}a` -> `urn:x:a`), the
    local name alone outside any namespace; a prefix is only a spelling of its namespace."""
    if not tag.startswith("{"):
        return tag
    uri, _, local = tag[1:].partition("}")
    return f"{uri}:{local}"


def _own_text(element: ElementTree.Element) -> str:
    parts = [element.text or ""] + [child.tail or "" for child in element]
    return "".join(parts).strip()


_MARKUP = re.compile(r"(<!\[CDATA\[.*?\]\]>|<!--.*?-->|<[^>]*>)", re.S)
_ENTITY_SPACE = re.compile(r"\s*(&[#A-Za-z0-9]+;)\s*")


def _as_core_reads(document: str | bytes) -> str | bytes:
    """The core's XML reader splits a text at entity references and trims each piece: `x &lt; y` reads `x<y`."""
    try:
        text = document.decode("utf-8") if isinstance(document, bytes) else document
    except UnicodeDecodeError:
        return document
    parts = _MARKUP.split(text)
    return "".join(part if index % 2 else _ENTITY_SPACE.sub(r"\1", part) for index, part in enumerate(parts)).encode()


def iter_xml_mismatches(expected: str | bytes, actual: str | bytes, rules: RuleSet) -> Iterator[Mismatch]:
    """An XML body."""
    expected, actual = _as_core_reads(expected), _as_core_reads(actual)
    try:
        mine = ElementTree.fromstring(expected)
    except ElementTree.ParseError as exc:
        yield _mismatch((), "is not XML in the pact", f"is not XML in the pact: {exc}")
        return
    try:
        theirs = ElementTree.fromstring(actual)
    except ElementTree.ParseError as exc:
        yield _mismatch((), "is not XML", f"is not XML: {exc}")
        return
    if mine.tag != theirs.tag:
        yield _mismatch(
            (_name(mine.tag),), "is another element", f"is <{_name(theirs.tag)}>, the pact expects <{_name(mine.tag)}>"
        )
        return
    yield from _element(rules, (_name(mine.tag),), mine, theirs)


def _element(
    rules: RuleSet, path: tuple[Segment, ...], expected: ElementTree.Element, actual: ElementTree.Element
) -> Iterator[Mismatch]:
    selected = rules.select(path)
    if selected is not None:  # the core's min/max count the element's own child nodes (elements and texts)
        texts = [actual.text or ""] + [child.tail or "" for child in actual]
        nodes = [None] * (len(actual) + sum(1 for text in texts if text.strip()))
        for problem in _count_problems(selected[0], nodes, selected[1]):
            yield _mismatch(path, f"{problem} (child nodes)")
    for name, value in expected.attrib.items():
        where = path + ("@" + _name(name),)
        if name not in actual.attrib:
            yield _mismatch(where, "is missing", "is missing, the pact expects it")
        else:
            yield from _text(rules, where, value, actual.attrib[name])
    yield from _children(rules, path, expected, actual)
    mine, theirs = _own_text(expected), _own_text(actual)
    if mine or theirs or rules.select(path + ("#text",)) is not None:
        yield from _text(rules, path + ("#text",), mine, theirs)


def _children(
    rules: RuleSet, path: tuple[Segment, ...], expected: ElementTree.Element, actual: ElementTree.Element
) -> Iterator[Mismatch]:
    found: dict[str, list[ElementTree.Element]] = {}
    for child in actual:
        found.setdefault(child.tag, []).append(child)
    wanted: dict[str, list[ElementTree.Element]] = {}
    for child in expected:
        wanted.setdefault(child.tag, []).append(child)
    parent = rules.select(path)
    if (
        rules.literal == "equal"
        and parent is not None
        and any(matcher_kind(matcher) == "type" for matcher in rule_matchers(parent[0]))
    ):
        for tag in found:  # only a type rule on the parent makes a child the pact does not name unexpected
            if tag not in wanted:
                yield _mismatch(
                    path + (_name(tag),),
                    "is not an element the pact expects",
                    f"is an unexpected child <{_name(tag)}/>",
                )
    for tag, children in wanted.items():
        where = path + (_name(tag),)
        theirs = found.get(tag, [])
        selected = rules.select(where)
        if not theirs:
            yield _mismatch(where, "is missing", f"is missing, the pact expects <{_name(tag)}>")
            continue
        if selected is not None:
            for index, child in enumerate(theirs):
                yield from _element(rules, where, children[index] if index < len(children) else children[0], child)
            continue
        for index, child in enumerate(children):
            if index < len(theirs):
                yield from _element(rules, where, child, theirs[index])
            elif rules.literal == "equal":  # compared by shape, fewer elements are fine (as for a JSON array)
                yield _mismatch(
                    where, "has fewer elements", f"has {len(theirs)} element(s), the pact expects {len(children)}"
                )


def _count_problems(rule: Rule, children: Sequence[object], cascaded: bool) -> Iterator[str]:
    for matcher in rule_matchers(rule):
        if matcher_kind(matcher) == "type":
            problem = size_problem(matcher, list(children), cascaded)
            if problem:
                yield problem


# ---------------------------------------------------------------- form urlencoded


def _form(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        out.setdefault(key, []).append(value)
    return out


def iter_form_mismatches(expected: str, actual: str, rules: RuleSet) -> Iterator[Mismatch]:
    """A form urlencoded body."""
    mine, theirs = _form(expected), _form(actual)
    for name, values in mine.items():
        where: tuple[Segment, ...] = (name,)
        if name not in theirs:
            yield _mismatch(where, "is missing", "is missing, the pact expects it")
            continue
        yield from _form_values(rules, where, values, theirs[name])
    if rules.literal == "equal":
        for name in theirs:
            if name not in mine:
                yield _mismatch((name,), "is not a parameter the pact expects")


def _form_values(rules: RuleSet, where: tuple[Segment, ...], values: list[str], found: list[str]) -> Iterator[Mismatch]:
    selected = rules.select(where)
    if selected is not None:
        for problem in _count_problems(selected[0], found, selected[1]):
            yield _mismatch(where, problem)
        for index, value in enumerate(found):
            yield from _text(rules, where, values[index] if index < len(values) else values[0], value)
        return
    if rules.literal != "equal":
        return
    for index, value in enumerate(values):
        if index >= len(found) or found[index] != value:
            yield _mismatch(where, "does not have the expected values", f"is {found}, the pact expects {values}")
            return
    if len(values) != len(found):
        yield _mismatch(
            where, "has another number of values", f"has {len(found)} value(s), the pact expects {len(values)}"
        )


# ---------------------------------------------------------------- multipart


_PARAMETER = re.compile(r';\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


def media_parameters(media: str) -> dict[str, str]:
    """The parameters of a media type, names in lower case: `multipart/form-data; boundary=X` -> {boundary: X}."""
    return {name.lower(): value.strip().strip('"') for name, value in _PARAMETER.findall(media)}


def _parts(data: bytes, boundary: str) -> dict[str, tuple[dict[str, str], bytes]] | None:
    """A multipart body's parts by name: (headers in lower case, content); None when it is not multipart."""
    if not boundary:
        return None
    delimiter = b"--" + boundary.encode()
    chunks = data.split(delimiter)
    if len(chunks) < 3:
        return None
    out: dict[str, tuple[dict[str, str], bytes]] = {}
    for chunk in chunks[1:-1]:
        head, separator, content = chunk.lstrip(b"\r\n").partition(b"\r\n\r\n")
        if not separator:
            return None
        headers = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        name = media_parameters(";" + headers.get("content-disposition", "").partition(";")[2]).get("name", "")
        out[name] = (headers, content[:-2] if content.endswith(b"\r\n") else content)
    return out


def iter_multipart_mismatches(
    expected: bytes, expected_media: str, actual: bytes, actual_media: str, rules: RuleSet
) -> Iterator[Mismatch]:
    """A multipart body: every part of the pact, by name."""
    mine = _parts(expected, media_parameters(expected_media).get("boundary", ""))
    theirs = _parts(actual, media_parameters(actual_media).get("boundary", ""))
    if mine is None or theirs is None:
        yield _mismatch((), "is not a multipart body" if theirs is None else "is not a multipart body in the pact")
        return
    for name, (headers, content) in mine.items():
        where: tuple[Segment, ...] = (name,)
        if name not in theirs:
            yield _mismatch(where, "is missing", "is missing (a part), the pact expects it")
            continue
        found_headers, found = theirs[name]
        media, found_media = headers.get("content-type", ""), found_headers.get("content-type", "")
        if media and parameter_header_problem(media, found_media):
            yield _mismatch(
                where + ("content-type",), "is another media type", f"is {found_media!r}, the pact expects {media!r}"
            )
        yield from _text(rules, where, content.decode("utf-8", "replace"), found.decode("utf-8", "replace"))


def parameter_header_problem(expected: str, actual: str) -> bool:
    """Whether a media-type header (Content-Type, Accept) differs as the Pact core compares them: the same base
    type, and every parameter of the pact's value with the same value (case-insensitive); more are allowed."""
    mine = [part.strip() for part in expected.split(";") if part.strip()]
    theirs = [part.strip() for part in actual.split(";") if part.strip()]
    if (mine[:1] or [""]) != (theirs[:1] or [""]):
        return True
    wanted, found = _parameters(mine[1:]), _parameters(theirs[1:])
    return any(found.get(name) is None or found[name].lower() != value.lower() for name, value in wanted.items())


def _parameters(parts: Sequence[str]) -> Mapping[str, str]:
    out = {}
    for part in parts:
        name, separator, value = part.partition("=")
        if separator:
            out[name.strip()] = value.strip()
    return out
