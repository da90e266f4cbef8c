# Class data sharing for a Parley service (sourced, not run), shared by the tarball's launchers
# (libexec/parley-launch.sh) and the container images' entrypoint (bin/parley-start in the image).
# The caller defines PARLEY_COMMAND (the service's name, e.g. parley-processor), PARLEY_JAVA (the
# java command) and parley_fail (prints one line and exits 2), and execs the JVM itself afterwards,
# so that the process id this shell has is the JVM's.
#
# Environment, all optional:
#   PARLEY_CLASS_SHARING      on (default) or off
#   PARLEY_CLASS_SHARING_DIR  where the archives are kept (default: the caller's)
#   PARLEY_DRY_RUN=1          create no folder (the caller prints the command instead of running it)

# Sets PARLEY_CLASS_SHARING_OPTS for the service $PARLEY_COMMAND whose class path is every jar of
# folder $2, keeping its archives in $PARLEY_CLASS_SHARING_DIR or else folder $1.
#
# Java 17 cannot create an archive by itself (Java 19's -XX:+AutoCreateSharedArchive can). Without
# an archive the JVM is started so that it writes one in two ways, whichever comes first:
# - while it runs: it lists every class it loads (-XX:DumpLoadedClassList), and a minute after the
#   start the service has a second JVM dump that list into the archive where 512 MB are to spare
#   (io.parley.runtime.ClassArchiveWriter), so that even its first crash restarts with it;
# - at its clean stop: it dumps its loaded classes into a part file named after its process id (the
#   caller's own, since it execs the JVM), which a later start promotes to the archive once its JVM
#   has ended and the JVM maps it (-Xshare:on): a file cut short by a kill during the dump would
#   crash the JVM that maps it, so it is checked before use and deleted if it does not map.
# The archive's name carries a fingerprint of the Java binary and of the class path folder, because
# an archive only fits the JVM build and the exact jars it was made with: after an upgrade a new one
# is written. A folder that cannot be written (a read-only install, a container without a volume
# there) means no class sharing, nothing else.
parley_class_sharing() {
  local default_dir="$1"
  PARLEY_CLASS_PATH_DIR="$2"
  PARLEY_CLASS_SHARING_OPTS=()
  case "${PARLEY_CLASS_SHARING:-on}" in
    off) return 0 ;;
    on) ;;
    *) parley_fail "PARLEY_CLASS_SHARING='$PARLEY_CLASS_SHARING' must be on or off" ;;
  esac
  local dir="${PARLEY_CLASS_SHARING_DIR:-$default_dir}" java_real fingerprint archive
  java_real="$(command -v "$PARLEY_JAVA")"
  java_real="$(readlink -f "$java_real" 2>/dev/null || echo "$java_real")"
  # Sizes and names only: ls's date column changes its format with a file's age, and its "total"
  # line counts disk blocks, which a file system may still be settling for files just unpacked. ls
  # fails for what is missing (a Java without lib/server, no lib/ in a source tree); the rest counts.
  fingerprint="$( { ls -lnL "$java_real" "$(dirname "$java_real")/../lib/server/libjvm.so" || true; ls -ln "$PARLEY_CLASS_PATH_DIR" || true; } \
    2>/dev/null | awk '$1 != "total" {print $5, $NF}' | cksum | cut -d' ' -f1)"
  archive="$dir/$PARLEY_COMMAND-$fingerprint.jsa"
  # A dry run creates no folder; in an existing one it tidies the part files as a start would.
  if [ "${PARLEY_DRY_RUN:-}" != "1" ]; then
    mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ] || return 0
  fi
  [ -d "$dir" ] && parley_promote_class_archive "$archive"
  if [ -f "$archive" ]; then
    PARLEY_CLASS_SHARING_OPTS=("-XX:SharedArchiveFile=$archive")
    echo "$PARLEY_COMMAND: class data sharing from $archive" >&2
  else
    PARLEY_CLASS_SHARING_OPTS=("-XX:ArchiveClassesAtExit=$archive.$$.part" "-XX:DumpLoadedClassList=$archive.$$.loaded"
      "-Dparley.class-sharing.archive=$archive" "-Dparley.class-sharing.class-list=$archive.$$.loaded")
    echo "$PARLEY_COMMAND: class data sharing: the archive is written a minute after the start or at the first clean stop ($archive)" >&2
  fi
}

# Turns the part files of archive $1 left by ended JVMs into the archive, if one maps; deletes the
# others, and the class lists and unfinished dumps ended JVMs left (a kill stops them mid-way).
parley_promote_class_archive() {
  local archive="$1" part pid leftover
  for leftover in "$archive".*.loaded "$archive".*.classes "$archive".*.dumping "$archive".*.log; do
    [ -f "$leftover" ] || continue
    pid="${leftover%.*}"
    pid="${pid##*.}"
    if [ "$pid" = "$$" ] || ! parley_class_dump_runs "-XX:DumpLoadedClassList=$archive.$pid.loaded" "$pid"; then
      rm -f "$leftover"
    fi
  done
  for part in "$archive".*.part; do
    [ -f "$part" ] || continue
    pid="${part%.part}"
    pid="${pid##*.}"
    # The part file of a JVM still running (another instance started from this folder) is not
    # finished. Our own process id on a part file means the JVM that wrote it has ended: in a
    # container the entrypoint is process 1 at every start.
    if [ "$pid" != "$$" ] && parley_class_dump_runs "-XX:ArchiveClassesAtExit=$part" "$pid"; then
      echo "$PARLEY_COMMAND: class data sharing: $part is still being written by process $pid: left alone" >&2
      continue
    fi
    if [ -f "$archive" ]; then
      rm -f "$part"
    elif "$PARLEY_JAVA" "-XX:SharedArchiveFile=$part" -Xshare:on -XX:ErrorFile=/dev/null \
        -cp "$PARLEY_CLASS_PATH_DIR/*" -version >/dev/null 2>&1; then
      mv -f "$part" "$archive"
    else
      echo "$PARLEY_COMMAND: class data sharing: $part does not map (its JVM was stopped while writing it?): deleted" >&2
      rm -f "$part"
    fi
  done
}

# Whether the JVM started with option $1 (naming a file after its process id $2) still runs.
# Process ids are reused (and kill -0 also answers for any thread of any process), so where /proc
# exists the process must be the one whose command line has this very option.
parley_class_dump_runs() {
  local option="$1" pid="$2"
  if [ ! -d /proc/self ]; then
    kill -0 "$pid" 2>/dev/null
  elif [ -r "/proc/$pid/cmdline" ]; then
    # Read whole before grep: in a pipe, grep -q stopping early could make pipefail report a failure.
    local arguments
    arguments="$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
    grep -qxF -- "$option" <<<"$arguments"
  else
    return 1
  fi
}
