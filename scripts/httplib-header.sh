#!/usr/bin/env bash
# Makes the single-header cpp-httplib for builds against libc++ (the clang
# preset): Debian's libcpp-httplib-dev splits the header and compiles the
# rest into a library built with libstdc++, which a libc++ program cannot
# link. This fetches the Debian source package of the very version installed
# (bookworm's cpp-httplib), applies Debian's patches, and puts the whole
# httplib.h in DEST/include. Nothing is installed; apt runs with a
# configuration of its own (scripts/debian-apt.sh).
#
# Usage: scripts/httplib-header.sh [DEST]   (default: build/_deps/cpp-httplib)
#
# DEST/.complete (holding the Debian version) is written last; when it
# exists and names the installed version the script only prints DEST.
# Progress goes to stderr, DEST alone to stdout.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
base_suite=bookworm
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

log() { echo "httplib-header.sh: $*" >&2; }
die() {
  log "error: $*"
  exit 1
}

version=$(dpkg-query -W -f='${Version}' libcpp-httplib-dev 2>/dev/null || true)
[ -n "$version" ] || die "libcpp-httplib-dev is not installed (scripts/install-deps.sh installs it)"
dest=$(realpath -m -- "${1:-$root/build/_deps/cpp-httplib}")
if [ -e "$dest/.complete" ] && [ "$(cat "$dest/.complete")" = "$version" ]; then
  echo "$dest"
  exit 0
fi

work=$(dirname "$dest")/apt-$base_suite-src
mkdir -p "$work"
exec 9>"$work/lock"
flock 9
if [ -e "$dest/.complete" ] && [ "$(cat "$dest/.complete")" = "$version" ]; then
  echo "$dest"
  exit 0
fi
[ -r "$keyring" ] || "$root/scripts/install-deps.sh" debian-archive-keyring >&2

# shellcheck source=scripts/debian-apt.sh
. "$root/scripts/debian-apt.sh"
private_apt "$work" deb-src "$base_suite"
log "fetching the source of cpp-httplib $version from $uri $base_suite"
apt-get "${apt_opts[@]}" -q update >&2
# The upstream version: no epoch, no Debian revision, no +ds repack suffix.
upstream=${version#*:}
upstream=${upstream%-*}
upstream=${upstream%%+*}
# The source of the installed version; when the archive's bookworm suite no
# longer has that revision (a later update installed it), the newest source
# of the same upstream version: the header is the same code.
source_version=$version
available=$(apt-cache "${apt_opts[@]}" showsrc cpp-httplib | sed -n 's/^Version: //p')
if ! grep -qxF -- "$version" <<<"$available"; then
  source_version=""
  for v in $available; do
    v_upstream=${v#*:}
    v_upstream=${v_upstream%-*}
    [ "${v_upstream%%+*}" = "$upstream" ] || continue
    if [ -z "$source_version" ] || dpkg --compare-versions "$v" gt "$source_version"; then source_version=$v; fi
  done
  [ -n "$source_version" ] || die "$base_suite has no source of cpp-httplib $upstream (it has: ${available//$'\n'/ })"
  log "the source of $version is gone from $base_suite; taking $source_version"
fi
src=$work/source
rm -rf "$src"
mkdir -p "$src"
(cd "$src" && apt-get "${apt_opts[@]}" -q source --download-only "cpp-httplib=$source_version") >&2
orig=("$src"/cpp-httplib_*.orig.tar.*)
debian=("$src"/cpp-httplib_"${source_version#*:}".debian.tar.*)
if [ ! -f "${orig[0]}" ] || [ ! -f "${debian[0]}" ]; then die "apt-get source left no orig and debian tarballs in $src"; fi

tree=$src/tree
mkdir -p "$tree"
tar -xf "${orig[0]}" -C "$tree" --strip-components=1
tar -xf "${debian[0]}" -C "$tree"
if [ -f "$tree/debian/patches/series" ]; then
  while read -r patch_file _; do
    case $patch_file in '' | '#'*) continue ;; esac
    patch -s -p1 -d "$tree" <"$tree/debian/patches/$patch_file" >&2
  done <"$tree/debian/patches/series"
fi
grep -q "CPPHTTPLIB_VERSION \"$upstream\"" "$tree/httplib.h" || die "the source's httplib.h is not version $upstream"

partial=$dest.partial
rm -rf "$partial" "$dest"
mkdir -p "$partial/include"
cp "$tree/httplib.h" "$partial/include/httplib.h"
cp "$tree/LICENSE" "$partial/LICENSE"
mv "$partial" "$dest"
echo "$version" >"$dest/.complete"
log "cpp-httplib $version: $dest/include/httplib.h"
echo "$dest"
