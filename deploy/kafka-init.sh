#!/usr/bin/env bash
# Prepares the docker-compose Kafka for Parley, then exits: share groups finalized, topics
# created with matching partition counts (chat.events and backend.responses are co-partitioned),
# the worker's share group reading from the earliest offset. Safe to run again.
set -euo pipefail

bin=/opt/kafka/bin
bootstrap="${BOOTSTRAP_SERVERS:?BOOTSTRAP_SERVERS is required}"
partitions="${PARTITIONS:-6}"
worker_group="${WORKER_GROUP:-parley-worker}"

# Kafka 4.3 formats new clusters with share.version=1; an older or upgraded cluster may lack it.
if ! "$bin/kafka-features.sh" --bootstrap-server "$bootstrap" describe | grep -Eq 'Feature: share.version.*FinalizedVersionLevel: [1-9]'; then
  echo "Finalizing share.version=1 (share groups)"
  "$bin/kafka-features.sh" --bootstrap-server "$bootstrap" upgrade --feature share.version=1
fi

for topic in chat.events backend.requests backend.responses notifications.requests \
             chat.audit chat.dlq chat.replies chat.replies.console chat.replies.web backend.requests.dlq \
             iot.telemetry iot.devices iot.telemetry.dlq iot.mutes parley.connectors; do
  "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor 1
done
# The device table is compacted: the latest row per device is kept, a tombstone removes it.
"$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --alter --entity-type topics \
  --entity-name iot.devices --add-config cleanup.policy=compact
# The connector catalog: one record per connector, the latest wins (workers create it too when missing).
"$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --alter --entity-type topics \
  --entity-name parley.connectors --add-config cleanup.policy=compact
# Published flow sets (parley flows publish): one partition keeps the versions of all sets in order, the latest per set is kept.
"$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --create --if-not-exists \
  --topic parley.flows --partitions 1 --replication-factor 1 --config cleanup.policy=compact

events=$("$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --describe --topic chat.events | grep -c 'Partition:')
responses=$("$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --describe --topic backend.responses | grep -c 'Partition:')
if [ "$events" != "$responses" ]; then
  echo "chat.events has $events partitions but backend.responses has $responses; they must be equal" >&2
  exit 1
fi

# Share groups start at the latest offset unless told otherwise: requests produced before the
# first worker joined would be skipped. Requests are written in the processor's transactions:
# only committed ones may reach a backend (the worker also sets this at start).
"$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --alter --entity-type groups \
  --entity-name "$worker_group" --add-config share.auto.offset.reset=earliest,share.isolation.level=read_committed

echo "Kafka is ready for Parley"
