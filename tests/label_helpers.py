"""Shared by the label tests: settings, the exiftool reader, a locally made C2PA CA."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from content_safety_guard.safety.settings.labels import LabelSettings

EXIFTOOL_MISSING = "exiftool not found: apt-get install libimage-exiftool-perl (scripts/test.sh does)"
TC260 = "XMP-TC260:Aigc"


def settings(**changes: Any) -> LabelSettings:
    return LabelSettings(**{"producer": "TESTPRODUCER01", **changes})


def exiftool(path: Path) -> dict[str, Any]:
    """The independent reader: every tag exiftool finds, by group:name."""
    binary = shutil.which("exiftool")
    assert binary, EXIFTOOL_MISSING
    out = subprocess.run([binary, "-json", "-G1", "-a", "-struct", str(path)], capture_output=True,
                         text=True, timeout=60, check=True)
    return json.loads(out.stdout)[0]


def make_ca(folder: Path) -> tuple[Path, Path, Path]:
    """A CA and an ES256 signing certificate it issued: (chain.pem, key.pem, ca.pem)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    def name(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Label Test")])

    def usage(sign: bool) -> x509.KeyUsage:
        return x509.KeyUsage(digital_signature=sign, content_commitment=False, key_encipherment=False,
                             data_encipherment=False, key_agreement=False, key_cert_sign=not sign,
                             crl_sign=not sign, encipher_only=False, decipher_only=False)

    now = dt.datetime.now(dt.timezone.utc)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())

    def cert(subject: str, public: Any, ca: bool) -> x509.CertificateBuilder:
        return (x509.CertificateBuilder().subject_name(name(subject)).issuer_name(name("Label Test CA"))
                .public_key(public).serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
                .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
                .add_extension(usage(not ca), critical=True)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False))

    ca = cert("Label Test CA", ca_key.public_key(), True).sign(ca_key, hashes.SHA256())
    leaf = (cert("Label Test signer", key.public_key(), False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    chain, key_file, ca_file = folder / "chain.pem", folder / "key.pem", folder / "ca.pem"
    chain.write_bytes(leaf.public_bytes(pem) + ca.public_bytes(pem))
    ca_file.write_bytes(ca.public_bytes(pem))
    key_file.write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return chain, key_file, ca_file


def latin_only_font(path: Path) -> Path:
    """A real TrueType font with glyphs for A and I only (square outlines): it draws
    "AI" and has nothing for 生成, like a Latin font configured by mistake."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    def square() -> Any:
        pen = TTGlyphPen(None)
        for point in ((100, 0), (100, 700), (500, 700), (500, 0)):
            (pen.moveTo if point == (100, 0) else pen.lineTo)(point)
        pen.closePath()
        return pen.glyph()

    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "A", "I"])
    builder.setupCharacterMap({ord("A"): "A", ord("I"): "I"})
    builder.setupGlyf({name: square() for name in (".notdef", "A", "I")})
    builder.setupHorizontalMetrics({name: (600, 100) for name in (".notdef", "A", "I")})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "LabelTestLatin", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.save(str(path))
    return path
