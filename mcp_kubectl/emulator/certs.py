"""A throwaway CA and a serving certificate for 127.0.0.1 and localhost, so kubectl talks HTTPS as to a real cluster.

EC P-256 keys keep generation to a few milliseconds. Nothing is written anywhere but the emulator's work dir.
"""

from __future__ import annotations

import datetime
import ipaddress
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class ServingCertificates:
    """PEM bytes: the CA certificate (for the kubeconfig) and the server's certificate and key."""

    ca_pem: bytes
    cert_pem: bytes
    key_pem: bytes


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _certificate(
    subject: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    *,
    ca_name: x509.Name,
    ca_key: ec.EllipticCurvePrivateKey,
    validity: tuple[datetime.datetime, datetime.datetime],
    extensions: list[x509.ExtensionType],
) -> x509.Certificate:
    """A certificate signed by the CA (the CA's own when ``subject`` is ``ca_name``); the basic constraints
    and key usage are critical and follow from that, the other ``extensions`` are not."""
    is_ca = subject == ca_name
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(validity[0])
        .not_valid_after(validity[1])
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=is_ca), critical=True)
    )
    for extension in extensions:
        builder = builder.add_extension(extension, critical=False)
    return builder.sign(ca_key, hashes.SHA256())


def generate_certificates(common_name: str = "mcp-kubectl-emulator") -> ServingCertificates:
    """A fresh CA and a leaf certificate valid for 127.0.0.1, ::1 and localhost for one year."""
    now = datetime.datetime.now(datetime.UTC)
    validity = (now - datetime.timedelta(hours=1), now + datetime.timedelta(days=365))

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{common_name}-ca")])
    ca_cert = _certificate(
        ca_name,
        ca_key.public_key(),
        ca_name=ca_name,
        ca_key=ca_key,
        validity=validity,
        extensions=[x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())],
    )

    key = ec.generate_private_key(ec.SECP256R1())
    names = [
        x509.DNSName("localhost"),
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        x509.IPAddress(ipaddress.ip_address("::1")),
    ]
    cert = _certificate(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]),
        key.public_key(),
        ca_name=ca_name,
        ca_key=ca_key,
        validity=validity,
        extensions=[
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
            x509.SubjectAlternativeName(names),
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
        ],
    )
    return ServingCertificates(
        ca_pem=ca_cert.public_bytes(serialization.Encoding.PEM),
        cert_pem=cert.public_bytes(serialization.Encoding.PEM),
        key_pem=key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
    )
