#!/usr/bin/env python3
"""Get a site's session from the Latchkey agent and call the site's API with it.

Standard library only. Usage:

    python3 latchkey_session.py [SITE] [PATH]      # e.g. python3 latchkey_session.py demo /api/whoami

As a module:

    from latchkey_session import get_session, call_site
    session = get_session("demo")
    status, body = call_site(session, "/api/whoami")

The agent is found through its discovery file (LATCHKEY_AGENT, else agent.json in this host's folder,
hosts/<host name>, of LATCHKEY_HOME or the platform's Latchkey folder). The unix socket is used when there is one and this Python has
AF_UNIX (Windows builds may not); else, or with LATCHKEY_TRANSPORT=tcp, the loopback TCP port.
"""

import http.client
import json
import os
import socket
import sys
import urllib.parse


def latchkey_home():
    """Latchkey's home folder, as the agent computes it."""
    if os.environ.get("LATCHKEY_HOME"):
        return os.environ["LATCHKEY_HOME"]
    home = os.path.expanduser("~")
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Application Support", "Latchkey")
    if sys.platform == "win32":
        return os.path.join(os.environ.get("APPDATA", os.path.join(home, "AppData", "Roaming")), "Latchkey")
    return os.path.join(os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config"), "Latchkey")


def host_name():
    """This machine's name in the home, as the agent computes it: LATCHKEY_HOST, else the host name;
    A-Z lower case, every other byte of its UTF-8 form but a-z, 0-9, ".", "_" and "-" made "_"."""
    raw = (os.environ.get("LATCHKEY_HOST") or socket.gethostname()).encode("utf-8")
    allowed = b"abcdefghijklmnopqrstuvwxyz0123456789._-"
    name = "".join(chr(b) if b in allowed else "_" for b in raw.lower()).lstrip(".")[:64]
    return name or "localhost"


class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP over the agent's unix socket."""

    def __init__(self, path, timeout):
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self._path)


class LatchkeyError(Exception):
    """An error from the agent, with its code (e.g. login_required) and hint."""

    def __init__(self, code, message, hint=None):
        super().__init__(message)
        self.code = code
        self.hint = hint


def _agent_request(path, timeout):
    discovery_path = os.environ.get("LATCHKEY_AGENT") or os.path.join(latchkey_home(), "hosts", host_name(), "agent.json")
    try:
        with open(discovery_path, encoding="utf-8") as file:
            agent = json.load(file)
    except FileNotFoundError:
        raise LatchkeyError("agent_not_running", "The Latchkey agent is not running.", "Start it with `latchkey agent`.")
    if agent.get("socket") and hasattr(socket, "AF_UNIX") and os.environ.get("LATCHKEY_TRANSPORT") != "tcp":
        connection = UnixHTTPConnection(agent["socket"], timeout)
        host = "localhost"
    else:
        connection = http.client.HTTPConnection("127.0.0.1", agent["port"], timeout=timeout)
        host = "127.0.0.1:%d" % agent["port"]
    headers = {"Host": host, "Authorization": "Bearer " + agent["token"], "X-Latchkey-Client": "python-example"}
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = json.loads(response.read().decode("utf-8"))
    except (ConnectionError, FileNotFoundError):
        raise LatchkeyError("agent_not_running", "The Latchkey agent does not answer.", "Start it with `latchkey agent`.")
    finally:
        connection.close()
    if response.status != 200:
        error = body.get("error", {})
        raise LatchkeyError(error.get("code", "error"), error.get("message", "HTTP %d" % response.status), error.get("hint"))
    return body


def get_session(site="default", wait=300, prompt=True):
    """The session of SITE (id, name or `default`): waits up to WAIT seconds for a login."""
    query = urllib.parse.urlencode({"wait": wait, "prompt": "true" if prompt else "false"})
    path = "/v1/sites/%s/session?%s" % (urllib.parse.quote(site, safe=""), query)
    return _agent_request(path, timeout=wait + 30)


def call_site(session, path, method="GET"):
    """Calls the site with the session's headers; returns (status, body text)."""
    url = urllib.parse.urlsplit(session["siteUrl"])
    host = url.hostname
    # RFC 6761: *.localhost is always this machine; not every resolver knows that.
    address = "127.0.0.1" if host == "localhost" or host.endswith(".localhost") else host
    port = url.port or (443 if url.scheme == "https" else 80)
    cls = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
    connection = cls(address, port, timeout=30)
    headers = dict(session["headers"])
    headers["Host"] = url.netloc
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        connection.close()


def main(argv):
    site = argv[1] if len(argv) > 1 else os.environ.get("LATCHKEY_SITE", "default")
    path = argv[2] if len(argv) > 2 else None
    try:
        session = get_session(site)
    except LatchkeyError as error:
        print("latchkey: %s" % error, file=sys.stderr)
        if error.hint:
            print("hint: %s" % error.hint, file=sys.stderr)
        return 4 if error.code in ("login_required", "login_cancelled") else 3 if error.code == "agent_not_running" else 1
    print("user: %s" % session["user"])
    print("expires: %s" % session["expiresAt"])
    if path:
        status, body = call_site(session, path)
        print("%s %s -> %d %s" % ("GET", path, status, body))
        return 0 if 200 <= status < 300 else 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
