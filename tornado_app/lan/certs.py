"""The LAN certificate: a small local CA and a leaf for the LAN addresses, kept in the data folder.

Browsers give camera access only to secure contexts, so a LAN meeting needs HTTPS. On first run we
make a CA (10 years) and a leaf certificate (about a year, under the limits browsers accept) for the
machine's LAN IP addresses, its `.local` name and localhost. People trust the CA once (or check the
printed fingerprint and accept the warning); a new leaf is made whenever the addresses change or
it nears expiry, signed by the same CA, so that trust step stays done.
"""

from __future__ import annotations

import dataclasses
import datetime
import ipaddress
import os
from collections.abc import Sequence
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_DAYS = 3650
LEAF_DAYS = 397  # the longest validity browsers accept for a TLS server certificate
RENEW_BEFORE = datetime.timedelta(days=30)


@dataclasses.dataclass(frozen=True)
class LanCertificate:
    """Paths of the CA and leaf PEM files, and the leaf's SHA-256 fingerprint."""

    ca_cert: Path
    cert: Path
    key: Path
    fingerprint: str     # SHA-256 of the leaf, AA:BB:..., as browsers show it
    ca_fingerprint: str  # SHA-256 of the CA certificate
    spki_sha256: str     # base64 SHA-256 of the leaf's public key (for pinning, e.g. in tests)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def _write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner can read (a private key)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the certificate as colon-separated hex, as browsers and `openssl x509` show it."""
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def spki_sha256(cert: x509.Certificate) -> str:
    """base64 SHA-256 of the certificate's SubjectPublicKeyInfo."""
    import base64
    import hashlib

    der = cert.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


def _make_ca(name: str) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Parley"),
                         x509.NameAttribute(NameOID.COMMON_NAME, f"Parley local CA ({name})")])
    now = _now()
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=CA_DAYS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return cert, key


def _make_leaf(ca: x509.Certificate, ca_key: ec.EllipticCurvePrivateKey, ips: Sequence[str],
               names: Sequence[str]) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    san = [x509.DNSName(n) for n in names] + [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
    now = _now()
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .issuer_name(ca.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=LEAF_DAYS))
            .add_extension(x509.SubjectAlternativeName(san), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    return cert, key


def _covers(cert: x509.Certificate, ips: Sequence[str], names: Sequence[str]) -> bool:
    """The certificate names every address and name, and is not about to expire."""
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return False
    have_ips = {str(i) for i in san.get_values_for_type(x509.IPAddress)}
    have_names = set(san.get_values_for_type(x509.DNSName))
    fresh = cert.not_valid_after_utc - _now() > RENEW_BEFORE
    return fresh and set(ips) <= have_ips and set(names) <= have_names


def ensure_lan_certificate(folder: Path, ips: Sequence[str], names: Sequence[str]) -> LanCertificate:
    """The CA and a leaf valid for `ips` and `names`, made or renewed in `folder` as needed."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_path, ca_key_path = folder / "parley-ca.pem", folder / "parley-ca.key"
    cert_path, key_path = folder / "parley-lan.pem", folder / "parley-lan.key"
    if ca_path.exists() and ca_key_path.exists():
        ca = x509.load_pem_x509_certificate(ca_path.read_bytes())
        ca_key = serialization.load_pem_private_key(ca_key_path.read_bytes(), password=None)
    else:
        ca, ca_key = _make_ca(names[0])
        _write_private(ca_key_path, _key_pem(ca_key))
        ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    leaf = None
    if cert_path.exists() and key_path.exists():
        leaf = x509.load_pem_x509_certificate(cert_path.read_bytes())
        if leaf.issuer != ca.subject or not _covers(leaf, ips, names):
            leaf = None
    if leaf is None:
        leaf, leaf_key = _make_leaf(ca, ca_key, ips, names)  # type: ignore[arg-type]
        _write_private(key_path, _key_pem(leaf_key))
        cert_path.write_bytes(leaf.public_bytes(serialization.Encoding.PEM)
                              + ca.public_bytes(serialization.Encoding.PEM))
    return LanCertificate(ca_path, cert_path, key_path, fingerprint(leaf), fingerprint(ca),
                          spki_sha256(leaf))
