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
# folder $2, keeping its archives in $PARLEY_CLASS_SHARING_DIR or else folder $1; $3 holds the JVM
# options the caller adds from its environment (PARLEY_JAVA_OPTS, JAVA_OPTS), for an AOT cache's assembly.
#
# Java 17 cannot create an archive by itself (Java 19's -XX:+AutoCreateSharedArchive can). Without
# an archive the JVM is started so that the service writes one (io.parley.runtime.ClassArchiveWriter)
# in one of two ways, whichever comes first:
# - while it runs: the JVM lists every class it loads (-XX:DumpLoadedClassList), and a minute after
#   the start a second JVM dumps that list into the archive, where 512 MB are free besides what the
#   service's heap may still take, so that even its first crash restarts with it;
# - at its clean stop, after the service has closed: the JVM dumps the classes it loaded itself
#   (-XX:+RecordDynamicDumpInfo and the VM.cds dynamic_dump diagnostic command), unless the archive
#   exists by then. A JVM that ends before its service ran (a configuration error) writes nothing.
#   The recording slows the start, so a restart after a run that did not stop cleanly goes without.
# Both write beside the archive, named after the JVM's process id (the caller's own, since it execs
# the JVM), and rename the file into place when it is whole; a start deletes what ended JVMs left.
# On Java 25 and later the archive is an AOT cache instead (parley_aot_training below).
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
  if [ "$(parley_java_feature "$java_real")" -ge 25 ]; then
    archive="$dir/$PARLEY_COMMAND-$fingerprint.aot"
  fi
  # A dry run creates no folder; in an existing one it tidies what ended JVMs left, as a start would.
  if [ "${PARLEY_DRY_RUN:-}" != "1" ]; then
    mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ] || return 0
  fi
  PARLEY_CLASS_SHARING_UNCLEAN_END=""
  [ -d "$dir" ] && parley_tidy_class_archive "$archive"
  if [ -f "$archive" ] && [[ "$archive" == *.aot ]]; then
    PARLEY_CLASS_SHARING_OPTS=("-XX:AOTCache=$archive")
    echo "$PARLEY_COMMAND: class data sharing from the AOT cache $archive" >&2
    return 0
  elif [ -f "$archive.config" ]; then
    parley_aot_assemble "$archive" "${3:-}"
    return 0
  elif [ -f "$archive" ]; then
    PARLEY_CLASS_SHARING_OPTS=("-XX:SharedArchiveFile=$archive")
    echo "$PARLEY_COMMAND: class data sharing from $archive" >&2
    return 0
  elif [[ "$archive" == *.aot ]]; then
    parley_aot_training "$archive"
    return 0
  fi
  PARLEY_CLASS_SHARING_OPTS=("-XX:DumpLoadedClassList=$archive.$$.loaded"
    "-Dparley.class-sharing.archive=$archive" "-Dparley.class-sharing.class-list=$archive.$$.loaded")
  # Recording what a dump at the clean stop needs slows the JVM's start by a second or two (measured:
  # class loading about twice as slow). A JVM of this version that ended without a clean stop (its
  # class list is still there: killed, crashed, or a start that failed) is most likely restarted by a
  # supervisor now, when that time counts most: this start does without, and the next one records again.
  if [ -n "$PARLEY_CLASS_SHARING_UNCLEAN_END" ]; then
    echo "$PARLEY_COMMAND: class data sharing: the archive is written a minute after the start ($archive); the last run ended without a clean stop, so this one does not record for a dump at its own stop (that slows a start)" >&2
  else
    PARLEY_CLASS_SHARING_OPTS=("-XX:+RecordDynamicDumpInfo" "${PARLEY_CLASS_SHARING_OPTS[@]}")
    echo "$PARLEY_COMMAND: class data sharing: the archive is written a minute after the start or at the first clean stop ($archive)" >&2
  fi
}

# Java 25 and later (JEP 483, 514 and 515): an AOT cache holds the classes loaded and linked and the
# profiles of the methods a training run ran, so that a start with -XX:AOTCache also compiles the hot
# code sooner (a processor restarted in place at 100,000 sessions answered again in 7.2-11.2 s, against
# 10.2-12.5 s on Java 25 without it; docs/takeover.md). It is made in two steps:
# - a start without cache or configuration trains: -XX:AOTMode=record makes the JVM write the run's
#   configuration <cache>.<pid>.training at its exit, whatever ended it short of a kill, so the launcher
#   leaves a marker <cache>.<pid>.started that the service deletes at its clean stop after it ran
#   (io.parley.runtime.ClassArchiveWriter). The next start takes that output as <cache>.config only
#   without its marker: a configuration error's JVM trained on nothing. A marker left by an ended JVM
#   means the last run did not stop cleanly: training slows a start by about a second, so that restart
#   goes without, as with an archive;
# - the start that finds <cache>.config assembles the cache before the service's JVM starts
#   (parley_aot_assemble), and runs with it.
# Java's one-step -XX:AOTCacheOutput assembles at the training JVM's exit instead, 400 MB more while
# that JVM still holds its heap: a container sized for the service is killed for its memory there.
parley_aot_training() {
  local cache="$1"
  if [ -n "$PARLEY_CLASS_SHARING_UNCLEAN_END" ]; then
    echo "$PARLEY_COMMAND: class data sharing: no AOT cache yet ($cache); the last run ended without a clean stop, so this one does not train for it (that slows a start)" >&2
    return 0
  fi
  if [ "${PARLEY_DRY_RUN:-}" != "1" ]; then
    : >"$cache.$$.started" 2>/dev/null || return 0
  fi
  PARLEY_CLASS_SHARING_OPTS=("-XX:AOTMode=record" "-XX:AOTConfiguration=$cache.$$.training" "-Xlog:aot=error" "-Xlog:cds=error"
    "-Dparley.class-sharing.aot-run=$cache.$$.started")
  echo "$PARLEY_COMMAND: class data sharing: this run trains for the AOT cache, which the start after its clean stop assembles ($cache)" >&2
}

# The feature version of the Java whose binary is $1 (25 for 25.0.3, 1 for 1.8), from its release
# file, without starting a JVM; 0 when it has none.
parley_java_feature() {
  local release version
  release="$(dirname "$1")/../release"
  version="$(sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9]*\).*/\1/p' "$release" 2>/dev/null | head -n 1)"
  echo "${version:-0}"
}

# Tidies the folder of archive $1, the one this version of the service $PARLEY_COMMAND uses:
# - deletes the service's archives of other versions (another fingerprint: other jars or another
#   Java, which this one cannot map), 50-75 MB each, which every upgrade would otherwise leave behind
#   (a JVM still mapping one keeps its pages until it ends);
# - deletes what ended JVMs left beside any of its archives, all named <archive>.<process id>.<what>:
#   the class list, the writer's copy of it, and dumps cut short by a kill. A JVM still running
#   (another instance started from this folder) keeps its files. Our own process id on a file means
#   the JVM that wrote it has ended: in a container the entrypoint is process 1 at every start.
#   A clean stop deletes its class list, so a list of archive $1 left by an ended JVM means that the
#   last run of this version did not stop cleanly: PARLEY_CLASS_SHARING_UNCLEAN_END=1;
# - on Java 25 and later, where the archive is an AOT cache: a training run's marker left by an ended
#   JVM (it did not stop cleanly, UNCLEAN_END as above) goes with whatever that JVM wrote; the output of
#   a run that stopped cleanly becomes the configuration the cache is assembled from, <cache>.config.
parley_tidy_class_archive() {
  local archive="$1" dir file name owner pid kind
  dir="$(dirname "$archive")"
  for file in "$dir/$PARLEY_COMMAND"-*; do
    [ -f "$file" ] || continue
    name="${file##*/}"
    if [[ "$name" =~ ^${PARLEY_COMMAND}-[0-9]+\.(jsa|aot|aot\.config)$ ]]; then
      if [ "$file" != "$archive" ] && [ "$file" != "$archive.config" ]; then
        rm -f "$file"
        echo "$PARLEY_COMMAND: class data sharing: deleted $file, the archive of another version" >&2
      fi
    elif [[ "$name" =~ ^(${PARLEY_COMMAND}-[0-9]+\.jsa)\.([0-9]+)\.(loaded|classes|dumping|log|stopping)$ ]]; then
      owner="$dir/${BASH_REMATCH[1]}" pid="${BASH_REMATCH[2]}" kind="${BASH_REMATCH[3]}"
      if [ "$pid" = "$$" ] || ! parley_class_dump_runs "-XX:DumpLoadedClassList=$owner.$pid.loaded" "$pid"; then
        rm -f "$file"
        if [ "$owner" = "$archive" ] && [ "$kind" = "loaded" ]; then
          PARLEY_CLASS_SHARING_UNCLEAN_END=1
        fi
      fi
    elif [[ "$name" =~ ^(${PARLEY_COMMAND}-[0-9]+\.aot)\.([0-9]+)\.started$ ]]; then
      owner="$dir/${BASH_REMATCH[1]}" pid="${BASH_REMATCH[2]}"
      if [ "$pid" = "$$" ] || ! parley_class_dump_runs "-XX:AOTConfiguration=$owner.$pid.training" "$pid"; then
        rm -f "$file" "$owner.$pid.training"
        if [ "$owner" = "$archive" ]; then
          PARLEY_CLASS_SHARING_UNCLEAN_END=1
        fi
      fi
    elif [[ "$name" =~ ^${PARLEY_COMMAND}-[0-9]+\.aot\.([0-9]+)\.(dumping|log)$ ]]; then
      # an assembly of the cache cut short by a kill (one still running belongs to a launcher, not yet a JVM)
      pid="${BASH_REMATCH[1]}"
      if [ "$pid" = "$$" ] || ! kill -0 "$pid" 2>/dev/null; then
        rm -f "$file"
      fi
    fi
  done
  # What training runs that stopped cleanly left (their markers are gone): the configuration the cache
  # is assembled from, unless there is one or a cache already.
  for file in "$dir/$PARLEY_COMMAND"-*.aot.*.training; do
    [ -f "$file" ] || continue
    name="${file##*/}"
    [[ "$name" =~ ^(${PARLEY_COMMAND}-[0-9]+\.aot)\.([0-9]+)\.training$ ]] || continue
    owner="$dir/${BASH_REMATCH[1]}" pid="${BASH_REMATCH[2]}"
    if [ "$pid" != "$$" ] && parley_class_dump_runs "-XX:AOTConfiguration=$file" "$pid"; then
      continue
    fi
    if [ "$owner" = "$archive" ] && [ ! -e "$archive" ] && [ ! -e "$archive.config" ] \
        && mv -f "$file" "$archive.config" 2>/dev/null; then
      echo "$PARLEY_COMMAND: class data sharing: the training of the last clean stop is in place ($archive.config)" >&2
    else
      rm -f "$file"
    fi
  done
}

# Assembles the AOT cache $1 from the training $1.config by a JVM of its own, before the service's JVM
# starts, so that its memory (390 MB for the processor, whatever its heap) is not needed on top of the
# service's, and the service starts with the cache; about 5 s of a core for the processor, once per
# version. The assembling JVM gets those of the service's options ($2: the caller's options variable;
# JAVA_TOOL_OPTIONS reaches it by itself) that a cache records and its users must match (JEP 483: the
# collector, the object layout, the module options), and a small heap of its own. A cache the JVM could
# not assemble leaves none and no training: the next clean stop trains again.
parley_aot_assemble() {
  local cache="$1" part="$1.$$.dumping" output="$1.$$.log" exit_code=0 started=$SECONDS option agreed=()
  # shellcheck disable=SC2206
  local options=($2)
  for option in "${options[@]}"; do
    case "$option" in
      -XX:[+-]Use*GC | -XX:[+-]UseCompressedOops | -XX:[+-]UseCompressedClassPointers | -XX:[+-]UseCompactObjectHeaders \
        | -XX:[+-]UnlockExperimentalVMOptions | --add-* | --enable-native-access* | --limit-modules* | --module-path* \
        | --patch-module* | -Djdk.module.*) agreed+=("$option") ;;
    esac
  done
  if [ "${PARLEY_DRY_RUN:-}" = "1" ]; then
    echo "$PARLEY_COMMAND: class data sharing: a start would assemble the AOT cache now, from the training of the last clean stop ($cache)" >&2
    return 0
  fi
  echo "$PARLEY_COMMAND: class data sharing: assembling the AOT cache from the training of the last clean stop ($cache)" >&2
  # The launchers start every service with --enable-native-access=ALL-UNNAMED: its cache records it too.
  "$PARLEY_JAVA" --enable-native-access=ALL-UNNAMED "${agreed[@]}" -Xms32m -Xmx256m -XX:AOTMode=create \
    "-XX:AOTConfiguration=$cache.config" "-XX:AOTCache=$part" -cp "$PARLEY_CLASS_PATH_DIR/*" >"$output" 2>&1 || exit_code=$?
  if [ "$exit_code" = 0 ] && [ -s "$part" ] && mv -f "$part" "$cache" 2>/dev/null; then
    rm -f "$cache.config" "$output"
    PARLEY_CLASS_SHARING_OPTS=("-XX:AOTCache=$cache")
    echo "$PARLEY_COMMAND: class data sharing from the AOT cache $cache, assembled in $((SECONDS - started)) s" >&2
  else
    echo "$PARLEY_COMMAND: class data sharing: assembling the AOT cache $cache failed (exit $exit_code: $(tail -n 1 "$output" 2>/dev/null)); this start goes without, and the next clean stop trains again" >&2
    rm -f "$part" "$output" "$cache.config"
  fi
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
