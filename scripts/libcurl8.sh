#!/usr/bin/env bash
# Fetches libcurl 8.14.1 (Debian's libcurl4 and libcurl4-openssl-dev from the
# bookworm-backports suite, or with --tls gnutls its GnuTLS build,
# libcurl3-gnutls and libcurl4-gnutls-dev) and unpacks it into DEST, for the
# curl8, clang and gnutls CMake presets: the SDK is built and tested against
# it while the machine's own libcurl (7.88.1 on Debian 12) stays installed
# and stays the default.
#
# Usage: scripts/libcurl8.sh [--tls openssl|gnutls] [DEST]
#   (default DEST: build/_deps/libcurl-8.14.1, or libcurl-8.14.1-gnutls)
#
# Nothing is installed from backports: apt runs with a configuration of its
# own (a sources file naming only bookworm-backports, its own package lists,
# cache and status beside DEST, none of the machine's sources or hooks), and
# `apt-get download` fetches the two packages, which `dpkg -x` unpacks. The
# archive is the one the machine's apt sources use for bookworm. The runtime
# libraries the library depends on come from bookworm itself and are
# installed by scripts/install-deps.sh when missing; those bookworm lacks
# (the GnuTLS build's HTTP/3 libraries) are fetched from backports too and
# unpacked beside it, found through the preset's RPATH.
#
# DEST gets include/ and lib/ links to the unpacked multiarch directories
# (usr/include/<triplet>, usr/lib/<triplet>), so the preset names them without
# the architecture. DEST/.complete (holding the Debian version) is written
# last; when it exists the script does nothing but print DEST. Progress goes
# to stderr, DEST alone to stdout.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

upstream=8.14.1
# The exact Debian version tested; another 8.14.1-* revision is taken when
# the archive no longer has this one, another upstream version never.
pinned=8.14.1-2+deb13u2~bpo13+1
base_suite=bookworm
suite=bookworm-backports
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
tls=openssl
if [ "${1:-}" = --tls ]; then
  tls=${2:-}
  shift 2 || true
fi
case $tls in
  openssl)
    packages=(libcurl4 libcurl4-openssl-dev)
    library=libcurl.so.4
    suffix=""
    ;;
  gnutls)
    packages=(libcurl3-gnutls libcurl4-gnutls-dev)
    library=libcurl-gnutls.so.4
    suffix=-gnutls
    ;;
  *)
    echo "libcurl8.sh: --tls takes openssl or gnutls, not '$tls'" >&2
    exit 2
    ;;
esac

log() { echo "libcurl8.sh: $*" >&2; }
die() {
  log "error: $*"
  exit 1
}

dest=$(realpath -m -- "${1:-$root/build/_deps/libcurl-$upstream$suffix}")
if [ -e "$dest/.complete" ]; then
  echo "$dest"
  exit 0
fi

work=$(dirname "$dest")/apt-$suite
mkdir -p "$work"
# One run at a time per directory; a run that waited finds the work done.
exec 9>"$work/lock"
flock 9
if [ -e "$dest/.complete" ]; then
  echo "$dest"
  exit 0
fi

# shellcheck disable=SC1091
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[ "$codename" = "$base_suite" ] ||
  die "$suite's libcurl is built for Debian 12 ($base_suite); this machine is '${codename:-unknown}'"
[ -r "$keyring" ] || "$root/scripts/install-deps.sh" debian-archive-keyring >&2

# shellcheck source=scripts/debian-apt.sh
. "$root/scripts/debian-apt.sh"
private_apt "$work" deb "$suite"
log "fetching libcurl $upstream ($tls) from $uri $suite"
apt-get "${apt_opts[@]}" -q update >&2

versions_of() {
  apt-cache "${apt_opts[@]}" madison "$1" | awk -F'|' '{ gsub(/[ \t]/, "", $2); print $2 }'
}
lib_versions=$(versions_of "${packages[0]}")
dev_versions=$(versions_of "${packages[1]}")
version=""
if grep -qxF -- "$pinned" <<<"$lib_versions" && grep -qxF -- "$pinned" <<<"$dev_versions"; then
  version=$pinned
else
  for v in $lib_versions; do
    case $v in
      "$upstream"-*)
        grep -qxF -- "$v" <<<"$dev_versions" || continue
        if [ -z "$version" ] || dpkg --compare-versions "$v" gt "$version"; then
          version=$v
        fi
        ;;
    esac
  done
fi
[ -n "$version" ] ||
  die "$suite has no $upstream-* of both ${packages[*]} (${packages[0]}: ${lib_versions//$'\n'/ }; ${packages[1]}: ${dev_versions//$'\n'/ })"
[ "$version" = "$pinned" ] || log "$pinned is gone from $suite; taking $version"

debs=$work/debs
rm -rf "$debs"
mkdir -p "$debs"
(cd "$debs" && apt-get "${apt_opts[@]}" -q download "${packages[@]/%/=$version}") >&2
for p in "${packages[@]}"; do
  files=("$debs/${p}_"*.deb)
  [ -f "${files[0]}" ] || die "apt-get download left no $p package in $debs"
  got=$(dpkg-deb -f "${files[0]}" Version)
  [ "$got" = "$version" ] || die "$p downloaded as $got, not $version"
done

# The runtime library's dependencies (libnghttp2-14, libpsl5, libssh2-1, ...)
# at the versions it asks for: those bookworm has are installed from it when
# missing; those only bookworm-backports has (the GnuTLS build's HTTP/3
# libraries, libngtcp2 and libnghttp3) are unpacked beside libcurl, like it.
missing=()
unpacked_too=()
# The machine's package lists say what bookworm has; an image may ship
# without them.
if ! ls /var/lib/apt/lists/ 2>/dev/null | grep -q '_Packages$'; then
  apt-get -q update >&2
fi
version_re='^\(([<>=]+)[[:space:]]*([^)[:space:]]+)\)$'
IFS=',' read -ra depends <<<"$(dpkg-deb -f "$debs/${packages[0]}_"*.deb Depends)"
for dep in "${depends[@]}"; do
  dep=${dep%%|*}
  read -r name constraint <<<"$dep"
  name=${name%%:*}
  status=$(dpkg-query -W -f='${Status} ${Version}' "$name" 2>/dev/null || true)
  if [ "${status% *}" != "install ok installed" ]; then
    # Unpacked only when the backports suite has it and the machine's apt
    # sources do not.
    candidate=$(apt-cache policy "$name" 2>/dev/null | awk '/Candidate:/ { print $2 }')
    if [ -n "$(versions_of "$name")" ] && { [ -z "$candidate" ] || [ "$candidate" = "(none)" ]; }; then
      unpacked_too+=("$name")
    else
      missing+=("$name")
    fi
  elif [[ $constraint =~ $version_re ]]; then
    dpkg --compare-versions "${status##* }" "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" ||
      die "libcurl $version needs $name ${BASH_REMATCH[1]} ${BASH_REMATCH[2]}; ${status##* } is installed"
  fi
done
[ ${#missing[@]} -eq 0 ] || "$root/scripts/install-deps.sh" "${missing[@]}" >&2
if [ ${#unpacked_too[@]} -gt 0 ]; then
  log "unpacking ${unpacked_too[*]} from $suite beside libcurl"
  (cd "$debs" && apt-get "${apt_opts[@]}" -q download "${unpacked_too[@]}") >&2
fi

partial=$dest.partial
rm -rf "$partial" "$dest"
mkdir -p "$partial"
for deb in "$debs"/*.deb; do
  dpkg -x "$deb" "$partial"
done
headers=("$partial"/usr/include/*/curl/curlver.h)
if [ ${#headers[@]} -ne 1 ] || [ ! -f "${headers[0]}" ]; then
  die "no single usr/include/<triplet>/curl/curlver.h in the packages"
fi
triplet=$(basename "$(dirname "$(dirname "${headers[0]}")")")
grep -qxF "#define LIBCURL_VERSION \"$upstream\"" "${headers[0]}" ||
  die "${headers[0]} is not libcurl $upstream"
# (The -dev package's libcurl.so names the TLS flavour's library.)
for f in "$library" libcurl.so; do
  [ -e "$partial/usr/lib/$triplet/$f" ] || die "no usr/lib/$triplet/$f in the packages"
done
ln -s "usr/include/$triplet" "$partial/include"
ln -s "usr/lib/$triplet" "$partial/lib"
mv "$partial" "$dest"
echo "$version" >"$dest/.complete"
log "libcurl $version unpacked"
echo "$dest"
