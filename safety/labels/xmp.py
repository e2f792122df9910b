"""The XMP packet that carries the label: property TC260:AIGC of namespace
http://www.tc260.org.cn/ns/AIGC/1.0/ (readers also accept it without the trailing slash)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

NAMESPACE = "http://www.tc260.org.cn/ns/AIGC/1.0/"
NAMESPACES = (NAMESPACE, NAMESPACE.rstrip("/"))
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PNG_KEYWORD = "XML:com.adobe.xmp"
JPEG_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
# xml.sax.saxutils.quoteattr's escapes; xml.sax itself imports urllib.request (30 ms at load)
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def quoteattr(value: str) -> str:
    """The value as a quoted XML attribute, byte for byte what xml.sax.saxutils.quoteattr
    gives (a value with double quotes but no single ones, like the JSON label, goes in
    single quotes), so packets stay as they were."""
    value = value.translate(_ESCAPES)
    if '"' not in value:
        return f'"{value}"'
    return f"'{value}'" if "'" not in value else '"{}"'.format(value.replace('"', "&quot;"))


def packet(value: str) -> bytes:
    """A minimal XMP packet with the label as an attribute of one rdf:Description."""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        f'<rdf:RDF xmlns:rdf="{RDF}">'
        f'<rdf:Description rdf:about="" xmlns:TC260="{NAMESPACE}" TC260:AIGC={quoteattr(value)}/>'
        '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode("utf-8")


def labels_in(data: bytes | str) -> list[str]:
    """Every TC260:AIGC value in a packet (attribute or element form); [] when the packet
    is not XML. Element bodies that are rdf:Alt lists yield their first item."""
    try:
        root = ET.fromstring(data.encode("utf-8") if isinstance(data, str) else data)
    except ET.ParseError:
        return []
    found = []
    names = {f"{{{ns}}}AIGC" for ns in NAMESPACES}
    for element in root.iter():
        for name, value in element.attrib.items():
            if name in names:
                found.append(value)
        if element.tag in names:
            found.append("".join(element.itertext()).strip())
    return found

