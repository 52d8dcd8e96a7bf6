# shellcheck shell=bash disable=SC2154  # base_suite, keyring and die come from the caller
# Sourced by scripts/libcurl8.sh and scripts/httplib-header.sh: apt with a
# configuration of its own, to fetch packages or sources from Debian's
# archive without touching the machine's apt state.
#
#   private_apt WORK TYPE SUITE   (TYPE: deb or deb-src)
#
# sets `uri` (the archive the machine's apt sources use for $base_suite) and
# `apt_opts` (a sources file naming only SUITE, package lists, cache and
# status under WORK, none of the machine's sources or hooks). Needs
# `base_suite`, `keyring` and `die` from the caller.

# The first URI the machine's apt sources use for the base suite: deb822
# stanzas in sources.list.d/*.sources, or one-line entries in sources.list
# and sources.list.d/*.list.
archive_uri() {
  local f uri
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    uri=$(awk -v suite="$base_suite" '
      { sub(/#.*/, "") }
      $1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        if ($(i + 1) == suite) { print $i; exit }
      }' "$f")
    [ -z "$uri" ] || { echo "$uri"; return; }
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    uri=$(awk -v suite="$base_suite" '
      function flush() {
        if (!found && index(" " f["types"] " ", " deb ") && index(" " f["suites"] " ", " " suite " ") &&
            tolower(f["enabled"]) !~ /no/ && f["uris"] != "") {
          split(f["uris"], u, " ")
          print u[1]
          found = 1
          exit
        }
        delete f
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]/ { if (key != "") f[key] = f[key] " " $0; next }
      {
        key = tolower(substr($0, 1, index($0, ":") - 1))
        f[key] = substr($0, index($0, ":") + 1)
      }
      END { flush() }' "$f")
    [ -z "$uri" ] || { echo "$uri"; return; }
  done
}

private_apt() {
  local work=$1 type=$2 suite_name=$3
  uri=$(archive_uri)
  [ -n "$uri" ] || die "no apt source for the $base_suite suite in /etc/apt/sources.list or /etc/apt/sources.list.d"
  uri=$(echo "$uri" | tr -d '[:space:]')
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
  : >"$work/status"
  cat >"$work/$suite_name.sources" <<SOURCES
Types: $type
URIs: $uri
Suites: $suite_name
Components: main
Signed-By: $keyring
SOURCES
  # The machine's configuration is read (a proxy, say), but not its hooks: an
  # update of these private lists must not refresh anything of the machine's.
  cat >"$work/apt.conf" <<'CONF'
#clear APT::Update::Pre-Invoke;
#clear APT::Update::Post-Invoke;
#clear APT::Update::Post-Invoke-Success;
CONF
  apt_opts=(
    -c "$work/apt.conf"
    -o "Dir::Etc::SourceList=$work/$suite_name.sources"
    -o Dir::Etc::SourceParts=/dev/null
    -o Dir::Etc::Preferences=/dev/null
    -o Dir::Etc::PreferencesParts=/dev/null
    -o "Dir::State::Lists=$work/lists"
    -o "Dir::State::status=$work/status"
    -o "Dir::Cache=$work/cache"
    -o Acquire::Languages=none
  )
  # As root, apt hands downloads to the _apt user, who may not be able to
  # enter the checkout; these files are the caller's, so apt works as the
  # caller.
  [ "$(id -u)" -ne 0 ] || apt_opts+=(-o APT::Sandbox::User=root)
}
