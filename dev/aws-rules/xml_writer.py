"""moto's XML answers (ELB, EC2, and the other Query and REST-XML services) written as xmltodict writes them, faster.

Speed only, no behaviour: moto 5.2's serializers hand a dict to xmltodict.unparse, which checks every element name
(character by character) and writes each piece through a SAX generator; for a listing of every load balancer that was
about a third of the answer's time. `unparse` below writes the same bytes from the same dict for what moto's
serializers give it (dicts, lists, strings, numbers, booleans, None; "@" attributes and "#text"), in one pass, each
name checked once per process; anything else (another output, pretty printing, comments, bytes, other iterables, a
name xmltodict refuses) is left to xmltodict itself, so its answer, or its error, is the same as before.
"""
from xml.sax.saxutils import escape, quoteattr

import xmltodict

_unparse = xmltodict.unparse
_names = set()  # element and attribute names xmltodict accepted


class _Unusual(Exception):
    """Something moto's serializers do not give: xmltodict writes the whole answer."""


def unparse(input_dict, output=None, encoding="utf-8", full_document=True, short_empty_elements=False,
            comment_key="#comment", **kwargs):
    if output is not None or kwargs.get("pretty") or set(kwargs) - {"pretty"} or comment_key != "#comment" \
            or not isinstance(input_dict, dict):
        return _unparse(input_dict, output, encoding, full_document, short_empty_elements, comment_key, **kwargs)
    writer = _Writer(short_empty_elements)
    try:
        if full_document:
            if len(input_dict) != 1:
                raise _Unusual
            writer.parts.append(f'<?xml version="1.0" encoding="{encoding}"?>\n')
        for key, value in input_dict.items():
            writer.element(key, value, full_document)
    except _Unusual:
        return _unparse(input_dict, output, encoding, full_document, short_empty_elements, comment_key, **kwargs)
    return "".join(writer.parts)


def _name(name, kind):
    if name not in _names:
        if not isinstance(name, str):
            raise _Unusual
        try:
            xmltodict._validate_name(name, kind)
        except ValueError:
            raise _Unusual from None
        _names.add(name)
    return name


def _text(value):
    """xmltodict's _convert_value_to_string, for the values moto gives."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    raise _Unusual


class _Writer:
    """xmltodict's _emit into xml.sax.saxutils.XMLGenerator, without pretty printing or namespaces."""

    def __init__(self, short_empty_elements):
        self.parts = []
        self.short = short_empty_elements
        self.pending = False  # a start tag not closed yet: "/>" if nothing comes before its end

    def element(self, key, value, root=False):
        if key == "#comment":
            raise _Unusual
        _name(key, "element")
        if isinstance(value, (str, dict)) or not hasattr(value, "__iter__"):
            values = (value,)
        elif isinstance(value, (list, tuple)):
            values = value
        else:
            raise _Unusual
        for index, v in enumerate(values):
            if root and index > 0:
                raise _Unusual  # xmltodict: 'document with multiple roots'
            if v is None:
                v = {}
            elif not isinstance(v, (dict, str)):
                v = _text(v)
            if isinstance(v, str):
                self.start(key, ())
                self.characters(v)
                self.end(key)
                continue
            cdata, attrs, children = None, [], []
            for ik, iv in v.items():
                if ik == "#text":
                    cdata = None if iv is None else _text(iv)
                elif isinstance(ik, str) and ik.startswith("@"):
                    if isinstance(iv, dict):
                        raise _Unusual  # a namespace map
                    attrs.append((_name(ik[1:], "attribute"), "" if iv is None else _text(iv)))
                elif not (isinstance(iv, list) and not iv):
                    children.append((ik, iv))
            self.start(key, attrs)
            for child_key, child_value in children:
                self.element(child_key, child_value)
            if cdata is not None:
                self.characters(cdata)
            self.end(key)

    def start(self, name, attrs):
        if self.pending:
            self.parts.append(">")
        self.parts.append("<" + name)
        for attr, value in attrs:
            self.parts.append(f" {attr}={quoteattr(value)}")
        if self.short:
            self.pending = True
        else:
            self.parts.append(">")

    def characters(self, content):
        if content:
            if self.pending:
                self.parts.append(">")
                self.pending = False
            self.parts.append(escape(content))

    def end(self, name):
        if self.pending:
            self.parts.append("/>")
            self.pending = False
        else:
            self.parts.append(f"</{name}>")
