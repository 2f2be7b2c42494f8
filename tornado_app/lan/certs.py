"""The LAN certificate: a small local CA and a leaf for the LAN addresses, kept in the data folder.

Browsers give camera access only to secure contexts, so a LAN meeting needs HTTPS. On first run we
make a CA (10 years) and a leaf certificate (about a year, under the limits browsers accept) for the
machine's LAN IP addresses, its `.local` name and localhost. People trust the CA once (or check the
printed fingerprint and accept the warning); a new leaf is made whenever the addresses change or
it nears expiry, signed by the same CA, so that trust step stays done.

People install the CA as a trusted root, so its key must not be able to vouch for any site: the
CA carries critical name constraints (RFC 5280 4.2.1.10) permitting only the addresses a LAN uses
(private, link-local and loopback IPv4 and IPv6 ranges) and the names `*.local` and `localhost`.
A leaked key then signs nothing a browser would accept for `example.com` or a public address.
We keep a CA (rather than pinning one self-signed leaf) because leaves are renewed when the
addresses change, and a pinned leaf would ask people to trust again each time. A CA made by an
older version without constraints is replaced once, with a log line asking to trust the new one.
"""

from __future__ import annotations

import dataclasses
import datetime
import ipaddress
import logging
from collections.abc import Sequence
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tornado_app.datadir import DataDirError, private_dir, private_file, write_private

log = logging.getLogger("parley")

CA_DAYS = 3650
LEAF_DAYS = 397  # the longest validity browsers accept for a TLS server certificate
RENEW_BEFORE = datetime.timedelta(days=30)
# What the CA may vouch for: the address ranges of a LAN, and mDNS / loopback names.
PERMITTED_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "127.0.0.0/8",
    "fc00::/7", "fe80::/10", "::1/128"))
PERMITTED_NAMES = ("local", "localhost")  # "local" permits `local` and every `*.local` name


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


def permitted(host: str) -> bool:
    """Whether the CA's name constraints allow `host` (an IP address or a DNS name)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        name = host.lower().rstrip(".")
        return any(name == base or name.endswith("." + base) for base in PERMITTED_NAMES)
    return any(address in network for network in PERMITTED_NETWORKS
               if network.version == address.version)


def _name_constraints() -> x509.NameConstraints:
    subtrees: list[x509.GeneralName] = [x509.IPAddress(n) for n in PERMITTED_NETWORKS]
    subtrees += [x509.DNSName(name) for name in PERMITTED_NAMES]
    return x509.NameConstraints(permitted_subtrees=subtrees, excluded_subtrees=None)


def _constrained(ca: x509.Certificate) -> bool:
    try:
        ext = ca.extensions.get_extension_for_class(x509.NameConstraints)
    except x509.ExtensionNotFound:
        return False
    return ext.critical and ext.value == _name_constraints()


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
    now = _now()
    # The date tells this CA from one an older version made for the same machine, in trust stores.
    subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Parley"),
                         x509.NameAttribute(NameOID.COMMON_NAME,
                                            f"Parley local CA ({name}) {now:%Y-%m-%d}")])
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
            .add_extension(_name_constraints(), critical=True)
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


def _issued_by(leaf: x509.Certificate, ca: x509.Certificate) -> bool:
    try:
        leaf.verify_directly_issued_by(ca)
    except Exception:  # wrong issuer name, signature or key type: not from this CA
        return False
    return True


def ensure_lan_certificate(folder: Path, ips: Sequence[str], names: Sequence[str]) -> LanCertificate:
    """The CA and a leaf valid for `ips` and `names`, made or renewed in `folder` as needed.

    Addresses and names the CA may not vouch for are left out of the leaf (a browser would refuse
    the whole certificate). Raises DataDirError if the folder cannot be used.
    """
    try:
        return _ensure(folder, [i for i in ips if permitted(i)], [n for n in names if permitted(n)])
    except OSError as exc:
        raise DataDirError(f"cannot keep the LAN certificate in {folder}: "
                           f"{exc.strerror or exc}") from None


def _ensure(folder: Path, ips: Sequence[str], names: Sequence[str]) -> LanCertificate:
    private_dir(folder)
    ca_path, ca_key_path = folder / "parley-ca.pem", folder / "parley-ca.key"
    cert_path, key_path = folder / "parley-lan.pem", folder / "parley-lan.key"
    for path in (ca_path, ca_key_path, cert_path, key_path):  # older versions: world-readable
        private_file(path)
    ca, replaced = None, None
    if ca_path.exists() and ca_key_path.exists():
        ca = x509.load_pem_x509_certificate(ca_path.read_bytes())
        ca_key = serialization.load_pem_private_key(ca_key_path.read_bytes(), password=None)
        if not _constrained(ca):
            replaced, ca = fingerprint(ca), None
    if ca is None:
        ca, ca_key = _make_ca(names[0] if names else "parley")
        write_private(ca_key_path, _key_pem(ca_key))
        write_private(ca_path, ca.public_bytes(serialization.Encoding.PEM))
        if replaced is not None:
            log.warning("the local CA (SHA-256 %s) could vouch for any site: replaced it with one "
                        "limited to LAN addresses, .local names and localhost (SHA-256 %s). Trust "
                        "the new CA once (%s) and remove the old one", replaced, fingerprint(ca),
                        ca_path)
    leaf = None
    if cert_path.exists() and key_path.exists():
        leaf = x509.load_pem_x509_certificate(cert_path.read_bytes())
        if not _issued_by(leaf, ca) or not _covers(leaf, ips, names):
            leaf = None
    if leaf is None:
        leaf, leaf_key = _make_leaf(ca, ca_key, ips, names)  # type: ignore[arg-type]
        write_private(key_path, _key_pem(leaf_key))
        write_private(cert_path, leaf.public_bytes(serialization.Encoding.PEM)
                      + ca.public_bytes(serialization.Encoding.PEM))
    return LanCertificate(ca_path, cert_path, key_path, fingerprint(leaf), fingerprint(ca),
                          spki_sha256(leaf))
