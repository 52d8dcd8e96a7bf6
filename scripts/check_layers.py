#!/usr/bin/env python3
"""Fails when an include in src/ runs back up the layers, or system code
sits outside src/platform/.

Each folder of src/ is a layer with a rank; a file may include headers of its
own folder and of lower ranks only. The public headers that declare the
client and its products (the facade) may be included only by the product
layers and the client. Sockets, descriptors and the C library's time
functions differ between Linux, macOS and Windows: only src/platform/ may
touch them (its headers declare what the rest uses). Usage:
scripts/check_layers.py [REPO_ROOT]
"""
import pathlib
import re
import sys

RANKS = {
    "platform": 0,   # what differs between systems: sockets, descriptors, HTTP-dates
    "base": 0,       # text, URL encoding, validation, the public value types' code
    "json": 1,       # request bodies and response readers
    "transport": 1,  # libcurl, sockets, the I/O loop
    "call": 2,       # one call: retry loop, response mapping, declaration
    "models": 2,     # decoders of value types shared by products
    "jwt": 2,        # JWT parsing, keys, local session verification
    "otps": 3,
    "sessions": 3,
    "b2b": 4,        # B2B products; may use the consumer models
    "client": 5,     # StytchClient: checks the options (base URL) and builds everything
}
FACADE = re.compile(r"^stytch/(stytch|client|otps|sessions|b2b|b2b/(otps|discovery|sessions|organizations))\.hpp$")
PRODUCT_RANK = 3
# libcurl is the transport's: the other layers see it only through these
# headers of it (a request in, its outcome out), and the client that builds it.
LIBCURL_LAYERS = ("transport", "client")
TRANSPORT_INTERFACE = ("transport/engine.hpp", "transport/transport_config.hpp")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')

# The folder allowed to use what differs between systems.
PLATFORM = "platform"
# System headers for sockets, descriptors and time, found outside PLATFORM.
SYSTEM_HEADER = re.compile(r"^(unistd\.h|poll\.h|fcntl\.h|netdb\.h|ctime|time\.h|sys/.*|netinet/.*|arpa/.*|"
                           r"winsock2?\.h|ws2tcpip\.h|windows\.h)$")
# Their names and calls (a call at global scope, ::name(, or a bare poll():
# members such as Transport::shutdown() and libcurl's curl_multi_poll() are
# not them).
SYSTEM_NAME = re.compile(
    r"\b(SOCK_CLOEXEC|FD_CLOEXEC|POLLRDHUP|SHUT_RDWR|MSG_PEEK|MSG_DONTWAIT|getsockname|fcntl|strptime|timegm|"
    r"gmtime(_r|_s)?|localtime(_r|_s)?|mktime|WSAPoll|WSASocket\w*|closesocket|SD_BOTH)\b"
    r"|(?<![\w.>])::(poll|close|shutdown|socket|recv|send)\s*\("
    r"|(?<![\w.>:])poll\s*\(")


def code_of(line: str) -> str:
    """The line without a // comment (comments may name system calls)."""
    stripped = line.lstrip()
    if stripped.startswith(("*", "/*")):
        return ""
    return line.split("//", 1)[0]


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    src = root / "src"
    problems = []
    for path in sorted(src.rglob("*")):
        if path.suffix not in (".cpp", ".hpp"):
            continue
        rel = path.relative_to(src)
        if len(rel.parts) != 2:
            problems.append(f"{rel}: every source belongs in one layer folder of src/")
            continue
        layer = rel.parts[0]
        if layer not in RANKS:
            problems.append(f"{rel}: folder '{layer}' has no rank in scripts/check_layers.py")
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if layer != PLATFORM:
                name = SYSTEM_NAME.search(code_of(line))
                if name:
                    problems.append(f"{rel}:{number}: '{name.group(0)}' belongs in src/{PLATFORM}/")
            match = INCLUDE.match(line)
            if not match:
                continue
            kind, target = match.groups()
            if kind == "<" and layer != PLATFORM and SYSTEM_HEADER.match(target):
                problems.append(f"{rel}:{number}: <{target}> belongs in src/{PLATFORM}/")
            if kind == "<" and target.startswith("curl/") and layer not in LIBCURL_LAYERS:
                problems.append(f"{rel}:{number}: {layer} includes <{target}>: libcurl is the transport's")
            if (kind == '"' and target.startswith("transport/") and layer not in LIBCURL_LAYERS
                    and target not in TRANSPORT_INTERFACE):
                problems.append(f"{rel}:{number}: {layer} includes {target}: above the transport, only "
                                f"{' and '.join(TRANSPORT_INTERFACE)}")
            if kind == '"':
                parts = target.split("/")
                if len(parts) != 2 or parts[0] not in RANKS:
                    problems.append(f"{rel}:{number}: \"{target}\" is not a layer/header path")
                elif parts[0] != layer and RANKS[parts[0]] >= RANKS[layer]:
                    problems.append(f"{rel}:{number}: {layer} (rank {RANKS[layer]}) includes {target} "
                                    f"(rank {RANKS[parts[0]]}): includes only go down")
            elif FACADE.match(target) and RANKS[layer] < PRODUCT_RANK:
                problems.append(f"{rel}:{number}: {layer} includes the facade <{target}>")
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s): includes up the layers, or system code outside src/{PLATFORM}/",
              file=sys.stderr)
        return 1
    print(f"layers: every include goes down; system code only in src/{PLATFORM}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
