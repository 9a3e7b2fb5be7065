"""Accepts one SPNEGO/Kerberos token (RFC 4559's, base64 on stdin) as an HTTP service would.

The service's key comes from the keytab KRB5_KTNAME names, and MIT Kerberos (Debian's
python3-gssapi over libgssapi-krb5) does the whole check: the ticket decrypts with that key, the
authenticator is fresh and not replayed (the replay cache under KRB5RCACHEDIR). Prints the
initiator's principal (`ada@LAB.TEST`) and exits 0; prints why on stderr and exits 1 otherwise.
"""

import base64
import binascii
import sys

import gssapi

KERBEROS_V5 = gssapi.OID.from_int_seq('1.2.840.113554.1.2.2')


def main() -> int:
    try:
        token = base64.b64decode(sys.stdin.read().strip(), validate=True)
    except binascii.Error as error:
        print(f'refused: not base64: {error}', file=sys.stderr)
        return 1
    # No credentials of our own: GSSAPI accepts for any key of the keytab, and unwraps SPNEGO itself.
    context = gssapi.SecurityContext(usage='accept')
    try:
        context.step(token)
        # python-gssapi raises a failed step's error at the next look at the context, so these stay in the try.
        complete, mech, initiator = context.complete, context.mech, context.initiator_name
    except gssapi.exceptions.GSSError as error:
        print(f'refused: {error}', file=sys.stderr)
        return 1
    # One round is all Kerberos takes; a context that asks for more came from another mechanism.
    if not complete or mech != KERBEROS_V5:
        print(f'refused: not a complete Kerberos context (mechanism {mech})', file=sys.stderr)
        return 1
    print(initiator)
    return 0


if __name__ == '__main__':
    sys.exit(main())
