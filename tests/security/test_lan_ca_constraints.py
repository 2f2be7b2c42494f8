"""Finding 6: the LAN CA people install as a trusted root can vouch only for LAN addresses and names.

A certificate for `example.com` (or a public address) signed with the CA's own key must fail
verification with the CA as the only trust root, while the server's real certificate still
passes, in a real TLS handshake too. A CA made before the constraints existed is replaced.
"""

from __future__ import annotations

import datetime
import ipaddress
import logging
import ssl
import subprocess

import pytest
import tornado.httpclient
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from tornado_app.config import Settings
from tornado_app.lan.certs import ensure_lan_certificate
from tornado_app.server import ParleyServer


def _load(path):
    return x509.load_pem_x509_certificate(path.read_bytes())


def _forge(ca: x509.Certificate, ca_key, host: str) -> x509.Certificate:
    """A server certificate for `host`, signed with the CA's key: what a thief of the key would make."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    try:
        name: x509.GeneralName = x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        name = x509.DNSName(host)
    return (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
            .issuer_name(ca.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([name]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))


def _verify(ca: x509.Certificate, leaf: x509.Certificate, host: str) -> None:
    """Verify as a TLS client would (cryptography's RFC 5280 / CA/B verifier); raises if refused."""
    try:
        subject: x509.GeneralName = x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        subject = x509.DNSName(host)
    verifier = PolicyBuilder().store(Store([ca])).build_server_verifier(subject)
    verifier.verify(leaf, [])


def _openssl_verify(tmp_path, ca_path, leaf: x509.Certificate) -> subprocess.CompletedProcess:
    leaf_path = tmp_path / "leaf.pem"
    leaf_path.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    return subprocess.run(["openssl", "verify", "-CAfile", str(ca_path), str(leaf_path)],
                          capture_output=True, text=True, timeout=30)


@pytest.fixture
def lan_cert(tmp_path):
    return ensure_lan_certificate(tmp_path / "lan-tls", ["192.168.1.20", "127.0.0.1"],
                                  ["room.local", "localhost"])


@pytest.mark.parametrize("host", ["example.com", "accounts.example.org", "93.184.215.14"])
def test_a_certificate_for_a_public_site_signed_by_the_ca_is_refused(tmp_path, lan_cert, host):
    ca = _load(lan_cert.ca_cert)
    ca_key = serialization.load_pem_private_key(
        (lan_cert.ca_cert.parent / "parley-ca.key").read_bytes(), password=None)
    forged = _forge(ca, ca_key, host)
    with pytest.raises(VerificationError):
        _verify(ca, forged, host)
    result = _openssl_verify(tmp_path, lan_cert.ca_cert, forged)
    assert result.returncode != 0 and "permitted subtree violation" in result.stdout + result.stderr


@pytest.mark.parametrize("host", ["192.168.1.20", "127.0.0.1", "room.local", "localhost"])
def test_the_servers_own_certificate_still_verifies(tmp_path, lan_cert, host):
    ca, leaf = _load(lan_cert.ca_cert), _load(lan_cert.cert)
    _verify(ca, leaf, host)
    assert _openssl_verify(tmp_path, lan_cert.ca_cert, leaf).returncode == 0


def test_an_unconstrained_ca_from_an_older_version_is_replaced(tmp_path, caplog):
    folder = tmp_path / "lan-tls"
    folder.mkdir()
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Parley local CA (room.local)")])
    now = datetime.datetime.now(datetime.timezone.utc)
    old = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
           .public_key(key.public_key()).serial_number(x509.random_serial_number())
           .not_valid_before(now - datetime.timedelta(minutes=5))
           .not_valid_after(now + datetime.timedelta(days=3650))
           .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
           .sign(key, hashes.SHA256()))
    (folder / "parley-ca.pem").write_bytes(old.public_bytes(serialization.Encoding.PEM))
    (folder / "parley-ca.key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    with caplog.at_level(logging.WARNING, logger="parley"):
        cert = ensure_lan_certificate(folder, ["10.0.0.5", "127.0.0.1"], ["room.local", "localhost"])
    new = _load(cert.ca_cert)
    assert new.fingerprint(hashes.SHA256()) != old.fingerprint(hashes.SHA256())
    assert new.extensions.get_extension_for_class(x509.NameConstraints).critical
    assert any("Trust the new CA once" in r.getMessage() for r in caplog.records), caplog.text
    _verify(new, _load(cert.cert), "10.0.0.5")  # the leaf was re-issued by the new CA
    # and the old CA (which the browser may still trust) does not vouch for the new leaf
    with pytest.raises(VerificationError):
        _verify(old, _load(cert.cert), "10.0.0.5")


async def test_a_tls_handshake_with_the_ca_as_the_only_root_reaches_the_server(tmp_path, lan_cert):
    server = ParleyServer(Settings(host="127.0.0.1", port=0, data_dir=tmp_path / "data",
                                   certfile=lan_cert.cert, keyfile=lan_cert.key))
    port = await server.start()
    client = tornado.httpclient.AsyncHTTPClient(force_instance=True)
    try:
        # cafile given: create_default_context loads no system roots, so the CA is the only one
        context = ssl.create_default_context(cafile=str(lan_cert.ca_cert))
        response = await client.fetch(f"https://127.0.0.1:{port}/healthz", ssl_options=context,
                                      request_timeout=10)
        assert response.code == 200 and context.get_ca_certs()[0]["subject"] == (
            (("organizationName", "Parley"),),
            (("commonName", _load(lan_cert.ca_cert).subject.get_attributes_for_oid(
                NameOID.COMMON_NAME)[0].value),))
    finally:
        client.close()
        await server.stop()
