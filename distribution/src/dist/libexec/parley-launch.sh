# Shared by the launchers in bin/ (sourced, not run). Finds Java, sizes the JVM's memory and
# starts a main class with every jar of lib/ on the class path.
#
# Environment, all optional:
#   JAVA_HOME           the Java 17+ to use (else `java` on the PATH)
#   PARLEY_MEMORY       all the memory the process may use, e.g. a container's limit: 1536m, 2g, 2Gi,
#                       or a number of bytes (what the Kubernetes downward API gives for limits.memory).
#                       Default 1g. The heap is what is left after RocksDB (processor only) and the
#                       JVM's own needs; see parley_size_memory.
#   PARLEY_HEAP         a fixed heap (-Xmx/-Xms, e.g. 768m) instead of the computed one
#   PARLEY_JAVA_OPTS    more JVM options, added last (they win over the defaults; a collector chosen
#                       here, e.g. -XX:+UseZGC, replaces the default G1)
#   PARLEY_CONF_DIR     where logback.xml is looked for (default: conf/ of the distribution)
#   PARLEY_CLASS_SHARING  on (default) or off: the services keep the classes they loaded in an
#                       archive (AppCDS) written a minute after their first start (or at its clean
#                       stop, if that comes first), and later starts map it
#                       instead of loading and verifying every class again (a processor joins its
#                       group about 1.5 s sooner on 2 cores); on Java 25 and later an AOT cache
#                       (classes linked, method profiles) written at the first clean stop instead;
#                       see parley-class-sharing.sh
#   PARLEY_CLASS_SHARING_DIR  where the archives are kept (default var/cds of the distribution)
#   PARLEY_DRY_RUN=1    print the java command, one argument per line, and exit without starting it

PARLEY_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PARLEY_CONF_DIR="${PARLEY_CONF_DIR:-$PARLEY_HOME/conf}"
# shellcheck source=parley-class-sharing.sh
source "$PARLEY_HOME/libexec/parley-class-sharing.sh"

# The JVM's own needs besides heap and RocksDB: metaspace, code cache, thread stacks, GC tables,
# direct buffers. 256 MiB plus a tenth of the budget, measured generous for both services.
PARLEY_JVM_RESERVE_MIB=256
PARLEY_MIN_HEAP_MIB=256

parley_fail() {
  echo "$PARLEY_COMMAND: $*" >&2
  exit 2
}

parley_java() {
  local java_cmd="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  if ! command -v "$java_cmd" >/dev/null 2>&1; then
    parley_fail "needs Java 17 or newer: install one, or set JAVA_HOME"
  fi
  echo "$java_cmd"
}

# A size as configuration writes it (128MiB, 1GiB, 512m, 2g, 2Gi, or bytes) in MiB, rounded down.
# Prints nothing for something that is not a size.
parley_mib() {
  local text number unit
  text="$(echo "$1" | tr '[:upper:]' '[:lower:]' | tr -d '[:space:]')"
  if [[ ! "$text" =~ ^([0-9]+)(b|k|kb|ki|kib|m|mb|mi|mib|g|gb|gi|gib)?$ ]]; then
    return 0
  fi
  number="${BASH_REMATCH[1]}"
  unit="${BASH_REMATCH[2]:-b}"
  case "$unit" in
    b) echo $((number / 1048576)) ;;
    k*) echo $((number / 1024)) ;;
    m*) echo "$number" ;;
    g*) echo $((number * 1024)) ;;
  esac
}

# The value of --config / -c / --config=FILE among the arguments, if any.
parley_config_file() {
  while [ $# -gt 0 ]; do
    case "$1" in
      -c|--config) echo "${2:-}"; return 0 ;;
      --config=*) echo "${1#--config=}"; return 0 ;;
    esac
    shift
  done
}

# rocksdb.totalMemory from a processor.yaml (block or flow style), or nothing when it is not set.
parley_rocksdb_memory() {
  [ -r "$1" ] || return 0
  awk '
    /^[^[:space:]#]/ {
      in_rocksdb = ($0 ~ /^rocksdb:[[:space:]]*(#.*)?$/)
      if ($0 ~ /^rocksdb:[[:space:]]*\{/ && match($0, /totalMemory:[[:space:]]*[^,}[:space:]]+/)) {
        value = substr($0, RSTART, RLENGTH); sub(/totalMemory:[[:space:]]*/, "", value); print value; exit
      }
      next
    }
    in_rocksdb && /^[[:space:]]+totalMemory:/ {
      value = $0
      sub(/^[[:space:]]+totalMemory:[[:space:]]*/, "", value); sub(/[[:space:]]*#.*$/, "", value); gsub(/["\047]/, "", value)
      print value; exit
    }
  ' "$1"
}

# Sets PARLEY_MEMORY_OPTS: -Xms/-Xmx sized so that heap + RocksDB + the JVM's own needs fit in
# PARLEY_MEMORY. $1: the RocksDB budget in MiB (0 for services without state stores), $2: where
# it comes from (for messages).
parley_size_memory() {
  local rocksdb_mib="$1" rocksdb_source="$2" total_mib reserve_mib heap_mib
  if [ -n "${PARLEY_HEAP:-}" ]; then
    [ -n "$(parley_mib "$PARLEY_HEAP")" ] || parley_fail "PARLEY_HEAP='$PARLEY_HEAP' is not a size (for example 768m or 2g)"
    PARLEY_MEMORY_OPTS=("-Xms$PARLEY_HEAP" "-Xmx$PARLEY_HEAP")
    return 0
  fi
  total_mib="$(parley_mib "${PARLEY_MEMORY:-1g}")"
  [ -n "$total_mib" ] || parley_fail "PARLEY_MEMORY='$PARLEY_MEMORY' is not a size (for example 1536m, 2g, 2Gi or a number of bytes)"
  reserve_mib=$((PARLEY_JVM_RESERVE_MIB + total_mib / 10))
  heap_mib=$((total_mib - rocksdb_mib - reserve_mib))
  if [ "$heap_mib" -lt "$PARLEY_MIN_HEAP_MIB" ]; then
    parley_fail "PARLEY_MEMORY=${PARLEY_MEMORY:-1g} (${total_mib}MiB) leaves ${heap_mib}MiB for the heap after RocksDB (${rocksdb_mib}MiB, $rocksdb_source) and ${reserve_mib}MiB for the JVM itself; at least ${PARLEY_MIN_HEAP_MIB}MiB are needed: raise PARLEY_MEMORY or lower rocksdb.totalMemory"
  fi
  PARLEY_MEMORY_OPTS=("-Xms${heap_mib}m" "-Xmx${heap_mib}m")
  echo "$PARLEY_COMMAND: memory ${total_mib}MiB = heap ${heap_mib}MiB + RocksDB ${rocksdb_mib}MiB + JVM ${reserve_mib}MiB" >&2
}

# Runs a main class with the distribution's class path: parley_exec MAIN_CLASS [JVM options...] -- ARGS...
parley_exec() {
  local main_class="$1" java_cmd
  shift
  local jvm_opts=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    jvm_opts+=("$1")
    shift
  done
  [ $# -gt 0 ] && shift
  java_cmd="$PARLEY_JAVA"
  # PARLEY_JAVA_OPTS is split on spaces on purpose: it holds several options.
  # shellcheck disable=SC2206
  local user_opts=(${PARLEY_JAVA_OPTS:-})
  # RocksDB loads its native library through System.loadLibrary from the class path: Java 24 and later warn
  # about that at every start and say a later release will refuse it unless allowed (JEP 472); Java 17 accepts
  # the option and ignores it.
  local command=("$java_cmd" --enable-native-access=ALL-UNNAMED "${jvm_opts[@]}" "${user_opts[@]}" -cp "$PARLEY_HOME/lib/*" "$main_class" "$@")
  if [ "${PARLEY_DRY_RUN:-}" = "1" ]; then
    printf '%s\n' "${command[@]}"
    exit 0
  fi
  exec "${command[@]}"
}

# Java is looked for first, so that nothing else is reported when it is missing.
PARLEY_JAVA="$(parley_java)"

# JVM options every long-running service gets: the heap sized above, out-of-memory ends the process
# (a supervisor restarts it) instead of limping on, logging from conf/logback.xml, class data sharing.
parley_service_opts() {
  local collector=()
  parley_chooses_collector || collector=(-XX:+UseG1GC)
  # The collector is the service's: an AOT cache assembled for the service is assembled with it too.
  parley_class_sharing "$PARLEY_HOME/var/cds" "$PARLEY_HOME/lib" "${collector[*]} ${PARLEY_JAVA_OPTS:-}"
  PARLEY_SERVICE_OPTS=("${PARLEY_MEMORY_OPTS[@]}" "${collector[@]}" -XX:+ExitOnOutOfMemoryError
    "-Dlogback.configurationFile=$PARLEY_CONF_DIR/logback.xml" "${PARLEY_CLASS_SHARING_OPTS[@]}")
}

# The services run on G1 (Java picks Serial on a machine or container with one CPU or under 1792 MB) unless
# PARLEY_JAVA_OPTS chooses a collector: a JVM given two refuses to start ("Multiple garbage collectors selected").
parley_chooses_collector() {
  local option
  # shellcheck disable=SC2086
  for option in ${PARLEY_JAVA_OPTS:-}; do
    case "$option" in
      -XX:+Use*GC) return 0 ;;
    esac
  done
  return 1
}
