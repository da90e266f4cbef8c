"""A chat channel written the way a Python team writes one: Confluent's client (librdkafka) with
its default partitioner (consistent_random, CRC32 - not Java's murmur2), its Schema Registry client
registering the schemas, Avro values in the registry framing, keys as plain strings or as
registry-framed Avro strings (every other record).

Usage: librdkafka_channel.py BOOTSTRAP REGISTRY_URL SCHEMA_DIR events|notifications COUNT [PREFIX]
Chat events go to conversations PREFIX-000, PREFIX-001, ... (PREFIX defaults to py-conv) of user
alice; notifications are for alice.
"""
import datetime
import io
import struct
import sys

import avro.io
import avro.schema
from confluent_kafka import Producer
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient


class Framing:
    """Writes data in the Schema Registry wire format: magic byte 0, the schema id (4 bytes, big-endian), Avro binary."""

    def __init__(self, registry, subject, schema_text):
        self.schema_id = registry.register_schema(subject, Schema(schema_text, "AVRO"))
        self.writer = avro.io.DatumWriter(avro.schema.parse(schema_text))

    def __call__(self, datum):
        out = io.BytesIO()
        out.write(struct.pack(">bI", 0, self.schema_id))
        self.writer.write(datum, avro.io.BinaryEncoder(out))
        return out.getvalue()


def chat_events(producer, registry, schema_dir, count, prefix, now):
    values = Framing(registry, "chat.events-value", open(schema_dir + "/ChatEvent.avsc").read())
    # What Confluent's AvroSerializer does for a key with the schema "string".
    keys = Framing(registry, "chat.events-key", '"string"')
    for i in range(count):
        conversation = "%s-%03d" % (prefix, i)
        event = {"eventId": "%s-evt-%03d" % (prefix, i), "conversationId": conversation, "userId": "alice",
                 "channel": "python", "type": "MESSAGE", "text": "where is my order 1001", "payload": {},
                 "locale": "en-GB", "occurredAt": now}
        key = keys(conversation) if i % 2 else conversation.encode("utf-8")
        producer.produce("chat.events", key=key, value=values(event))


def notifications(producer, registry, schema_dir, count, prefix, now):
    values = Framing(registry, "notifications.requests-value", open(schema_dir + "/Notification.avsc").read())
    keys = Framing(registry, "notifications.requests-key", '"string"')
    for i in range(count):
        note = {"notificationId": "%s-note-%03d" % (prefix, i), "userId": "alice", "channel": None,
                "text": "Parcel %d is on its way" % i, "template": None, "data": {}, "priority": "NORMAL",
                "expiresAt": now + datetime.timedelta(hours=1), "createdAt": now}
        key = keys("alice") if i % 2 else "alice".encode("utf-8")
        producer.produce("notifications.requests", key=key, value=values(note))


if __name__ == "__main__":
    bootstrap, registry_url, schema_dir, kind, count = sys.argv[1:6]
    prefix = sys.argv[6] if len(sys.argv) > 6 else "py-conv"
    registry = SchemaRegistryClient({"url": registry_url})
    # The client's defaults, as a new user has them: no partitioner setting.
    producer = Producer({"bootstrap.servers": bootstrap})
    now = datetime.datetime.now(tz=datetime.timezone.utc)
    send = chat_events if kind == "events" else notifications
    send(producer, registry, schema_dir, int(count), prefix, now)
    if producer.flush(30) != 0:
        sys.exit("not every record was delivered")
