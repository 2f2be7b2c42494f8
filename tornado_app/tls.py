"""The server's TLS context: from the operator's certificate, or the generated LAN one."""

from __future__ import annotations

import ssl
from pathlib import Path


def server_ssl_context(certfile: Path, keyfile: Path | None = None) -> ssl.SSLContext:
    """A TLS 1.2+ server context for HTTPServer(ssl_options=...); ValueError names a bad file."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(str(certfile), str(keyfile) if keyfile else None)
    except (ssl.SSLError, OSError) as exc:
        raise ValueError(f"cannot use the certificate {certfile}"
                         f"{' / ' + str(keyfile) if keyfile else ''}: {exc}") from None
    return context
