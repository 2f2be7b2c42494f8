"""The LAN certificate: made once, kept while it fits, renewed under the same CA when addresses change."""

from __future__ import annotations

import stat

from cryptography import x509

from tornado_app.lan.certs import ensure_lan_certificate
from tornado_app.lan.qr import qr_png, qr_text


def _names(path):
    leaf = x509.load_pem_x509_certificate(path.read_bytes())
    san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return leaf, {str(i) for i in san.get_values_for_type(x509.IPAddress)}, set(
        san.get_values_for_type(x509.DNSName))


def test_the_leaf_names_the_lan_addresses_and_is_signed_by_the_local_ca(tmp_path):
    cert = ensure_lan_certificate(tmp_path, ["192.168.1.20", "127.0.0.1"], ["room.local", "localhost"])
    leaf, ips, names = _names(cert.cert)
    assert ips == {"192.168.1.20", "127.0.0.1"} and names == {"room.local", "localhost"}
    ca = x509.load_pem_x509_certificate(cert.ca_cert.read_bytes())
    leaf.verify_directly_issued_by(ca)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert stat.S_IMODE(cert.key.stat().st_mode) == 0o600
    assert len(cert.fingerprint.split(":")) == 32


def test_a_second_run_keeps_the_certificate(tmp_path):
    first = ensure_lan_certificate(tmp_path, ["10.0.0.5"], ["room.local"])
    assert ensure_lan_certificate(tmp_path, ["10.0.0.5"], ["room.local"]) == first


def test_a_new_address_gets_a_new_leaf_from_the_same_ca(tmp_path):
    first = ensure_lan_certificate(tmp_path, ["10.0.0.5"], ["room.local"])
    second = ensure_lan_certificate(tmp_path, ["10.0.0.9"], ["room.local"])
    assert second.fingerprint != first.fingerprint
    assert second.ca_fingerprint == first.ca_fingerprint  # people's one trust step still holds
    assert "10.0.0.9" in _names(second.cert)[1]


def test_qr_codes_for_terminal_and_png():
    text = qr_text("https://192.168.1.20:8080/")
    rows = text.splitlines()
    assert len(rows) > 10 and len({len(r) for r in rows}) == 1
    assert qr_png("https://192.168.1.20:8080/").startswith(b"\x89PNG\r\n\x1a\n")
