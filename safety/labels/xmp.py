"""The XMP packet that carries the label: property TC260:AIGC of namespace
http://www.tc260.org.cn/ns/AIGC/1.0/ (readers also accept it without the trailing slash)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from xml.sax.saxutils import quoteattr

NAMESPACE = "http://www.tc260.org.cn/ns/AIGC/1.0/"
NAMESPACES = (NAMESPACE, NAMESPACE.rstrip("/"))
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PNG_KEYWORD = "XML:com.adobe.xmp"
JPEG_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"


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

